import type { Config } from '../../config.js'
import type { Reader } from '../../db/client.js'
import type { Project } from '../projects/index.js'
import { verifiedDomainOf } from './custom-domains.js'

/**
 * The public address of a project's status page, for every absolute link we hand out (e-mails,
 * webhooks, feeds, summary.json, the dashboard): its verified custom domain, else
 * PUBLIC_URL/status/<slug>. Never the request's Host — that is whatever the caller typed.
 */
export async function statusPageUrl(
  db: Reader,
  config: Pick<Config, 'publicUrl'>,
  project: Pick<Project, 'id' | 'slug'>,
): Promise<string> {
  const domain = await verifiedDomainOf(db, project.id)
  return domain ? `https://${domain}` : `${config.publicUrl}/status/${project.slug}`
}
