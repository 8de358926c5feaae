import type { Deps } from '../domain/shared/index.js'
import { ensureProjectWithOwner, type ProjectWithOwner } from '../domain/projects/index.js'
import { createComponent } from '../domain/incidents/index.js'

/** What seeding answered (domain/projects/first-project.ts). */
export type DemoSeed = ProjectWithOwner

export const DEMO_SLUG = 'demo'

/**
 * On a fresh database: one workspace, the `demo` project whose key accepts the demo page's own
 * origins, and a first responder (owner). On later starts: make sure the origins for this port
 * are allowed, so `PORT=… npm start` keeps working.
 */
export async function ensureDemoWorkspace(
  deps: Deps,
  opts: { origins: string[]; adminEmail?: string; adminPassword?: string; components?: boolean },
): Promise<DemoSeed> {
  const seed = await ensureProjectWithOwner(deps, {
    ...opts,
    slug: DEMO_SLUG,
    projectName: 'Acme Shop',
    workspaceName: 'Acme',
  })
  // A status page with components reads like a real one; only on the first start.
  if (seed.created && opts.components) {
    for (const [name, description] of DEMO_COMPONENTS)
      await createComponent(deps, seed.projectId, { name, description })
  }
  return seed
}

const DEMO_COMPONENTS = [
  ['Storefront', 'Shop pages and product catalogue'],
  ['Checkout', 'Cart, payment and order confirmation'],
  ['Search', ''],
  ['Public API', ''],
] as const
