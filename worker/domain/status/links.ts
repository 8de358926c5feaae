import type { Config } from '../../config.js'
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
