import { eq } from 'drizzle-orm'
import { memberships, responders, workspaces } from '../../db/schema/index.js'
import { createResponder, generatePassword, normalizeEmail } from '../access/index.js'
import type { Deps } from '../shared/index.js'
import { allowedOriginsOf, createProject, createWorkspace, findProjectBySlug, setAllowedOrigins } from './projects.js'

export interface ProjectWithOwner {
  created: boolean
  projectId: string
  publicKey: string
  adminEmail: string
  /** Only when this call created the responder with a generated password: shown once. */
  generatedPassword?: string
}

/**
 * The first project and its owner, for a fresh deployment (`npm run db:migrate` with
 * EARSHOT_ADMIN_EMAIL set) as for the demo: idempotent, so running it again changes nothing but
 * adding origins that are missing.
 */
export async function ensureProjectWithOwner(
  deps: Deps,
  opts: {
    slug: string
    projectName: string
    workspaceName: string
    origins: string[]
    adminEmail?: string
    adminPassword?: string
  },
): Promise<ProjectWithOwner> {
  const adminEmail = normalizeEmail(opts.adminEmail || 'admin@earshot.local')
  return deps.db.write(async (tx) => {
    const existing = await findProjectBySlug(tx, opts.slug)
    if (existing) {
      const origins = allowedOriginsOf(existing)
      const missing = opts.origins.filter((o) => !origins.includes(o))
      if (missing.length) await setAllowedOrigins(tx, existing.id, [...origins, ...missing])
      const owner = await tx
        .select({ email: responders.email })
        .from(memberships)
        .innerJoin(responders, eq(responders.id, memberships.responderId))
        .where(eq(memberships.workspaceId, existing.workspaceId))
        .get()
      return {
        created: false,
        projectId: existing.id,
        publicKey: existing.publicKey,
        adminEmail: owner?.email ?? adminEmail,
      }
    }
    const anyWorkspace = await tx.select({ id: workspaces.id }).from(workspaces).get()
    const workspace = anyWorkspace ?? (await createWorkspace(tx, deps, opts.workspaceName))
    const project = await createProject(tx, deps, {
      workspaceId: workspace.id,
      name: opts.projectName,
      slug: opts.slug,
      allowedOrigins: opts.origins,
      color: '#4f46e5',
    })
    const password = opts.adminPassword || generatePassword()
    const known = await tx.select({ id: responders.id }).from(responders).where(eq(responders.email, adminEmail)).get()
    if (!known)
      await createResponder(tx, deps, {
        email: adminEmail,
        password,
        name: 'Admin',
        workspaceId: workspace.id,
        role: 'owner',
      })
    return {
      created: true,
      projectId: project.id,
      publicKey: project.publicKey,
      adminEmail,
      generatedPassword: !known && !opts.adminPassword ? password : undefined,
    }
  })
}
