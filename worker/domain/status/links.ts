import { eq, like } from 'drizzle-orm'
import type { Config } from '../../config.js'
import type { Reader } from '../../db/client.js'
import { projects } from '../../db/schema/index.js'
import type { Deps } from '../deps.js'
import type { Project } from '../projects.js'
import { projectSettings } from '../projects.js'

/** A project's custom status domain (settings.custom_domain), lower-cased, without scheme or path. */
export function customDomainOf(project: Project): string | undefined {
  const raw = projectSettings(project).custom_domain
  if (typeof raw !== 'string' || !raw.trim()) return undefined
  return raw.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '')
}

/**
 * The public address of a project's status page, for links that leave the request (e-mails,
 * webhooks, feeds): its custom domain, else PUBLIC_URL/status/<slug>, else the origin the
 * responder used, else <slug>.<STATUS_DOMAIN>.
 */
export function statusPageUrl(config: Config, project: Project, requestOrigin?: string): string {
  const custom = customDomainOf(project)
  if (custom) return `https://${custom}`
  if (config.publicUrl) return `${config.publicUrl.replace(/\/$/, '')}/status/${project.slug}`
  if (requestOrigin) return `${requestOrigin.replace(/\/$/, '')}/status/${project.slug}`
  return `http://${project.slug}.${config.statusDomain}`
}

/** The project whose custom status domain is `host`, if any. */
export async function findProjectByCustomDomain(db: Reader, host: string): Promise<Project | undefined> {
  const candidates = await db.select().from(projects).where(like(projects.settings, '%custom_domain%')).all()
  return candidates.find((p) => customDomainOf(p) === host)
}

/**
 * Sets (or, with null, removes) a project's custom status domain. One domain serves one project:
 * answers `taken` when another project already has it, and changes nothing then.
 */
export async function setCustomDomain(deps: Pick<Deps, 'db'>, projectId: string, domain: string | null): Promise<Project | 'taken'> {
  return deps.db.write(async (tx) => {
    const fresh = (await tx.select().from(projects).where(eq(projects.id, projectId)).get())!
    if (domain) {
      const holder = await findProjectByCustomDomain(tx, domain)
      if (holder && holder.id !== projectId) return 'taken' as const
    }
    const settings = JSON.stringify({ ...projectSettings(fresh), custom_domain: domain ?? undefined })
    await tx.update(projects).set({ settings }).where(eq(projects.id, projectId))
    return { ...fresh, settings }
  })
}
