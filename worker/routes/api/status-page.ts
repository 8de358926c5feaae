import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Deps } from '../../domain/shared/index.js'
import { iso } from '../../domain/shared/index.js'
import type { Project } from '../../domain/projects/index.js'
import { reservedHostReason } from '../../domain/incidents/index.js'
import {
  claimCustomDomain,
  getCustomDomain,
  verificationRecord,
  verifyCustomDomain,
  type CustomDomain,
} from '../../domain/incidents/index.js'
import { dohTxtLookup } from '../../domain/incidents/index.js'
import { statusPageUrl } from '../../domain/incidents/index.js'
import { ApiError } from '../../http/errors.js'
import { browserUrl } from '../../http/origin.js'
import { validate } from '../../http/validate.js'
import { forgetStatusHosts } from '../status/index.js'
import { projectFor, type ApiEnv } from './context.js'
import { describe, error, json } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'

const StatusPageOut = z
  .object({
    status_page: z.object({
      slug: z.string(),
      url: z.string().meta({
        description:
          'Where the page is read: the verified custom domain, the status host, or the path under PUBLIC_URL',
      }),
      path_url: z.string(),
      host_url: z.string(),
      custom_domain: z.string().nullable(),
      domain_verification: z
        .object({
          status: z.enum(['verified', 'pending']),
          verified_at: z.string().nullable(),
          checked_at: z.string().nullable(),
          last_error: z.string().nullable(),
          record: z.object({ type: z.literal('TXT'), name: z.string(), value: z.string() }),
          cname_target: z.string(),
        })
        .nullable(),
      summary_url: z.string(),
      atom_url: z.string(),
      rss_url: z.string(),
    }),
  })
  .meta({ id: 'StatusPageSettings' })

const DomainInput = z.object({
  custom_domain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .transform((d) => d.replace(/\.$/, ''))
    .pipe(
      z
        .string()
        .regex(
          /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
          'a host name like status.example.com',
        ),
    )
    .nullable(),
})

/**
 * A project's status-page addresses and its custom domain: anyone in the workspace reads them,
 * owners choose the domain, responders and owners run the DNS check that verifies it.
 */
export function statusPageRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  const lookupTxt = deps.lookupTxt ?? dohTxtLookup(deps.config.dohUrl)
  const projectOf = (c: Context<ApiEnv>, role: 'viewer' | 'responder' | 'owner') =>
    projectFor(deps, c.get('responder'), c.req.param('id')!, role)

  async function statusPageJson(
    project: Project,
    claim: CustomDomain | undefined,
  ): Promise<Out<typeof StatusPageOut>['status_page']> {
    const url = await statusPageUrl(deps.db.orm, deps.config, project)
    const pub = new URL(deps.config.publicUrl || 'https://invalid.example')
    return {
      slug: project.slug,
      url,
      path_url: `${deps.config.publicUrl}/status/${project.slug}`,
      host_url: `${pub.protocol}//${project.slug}.${deps.config.statusDomain}${pub.port ? `:${pub.port}` : ''}`,
      custom_domain: claim?.domain ?? null,
      // What the dashboard shows until the domain is served: the TXT record that proves control,
      // and where the domain must point.
      domain_verification: claim
        ? {
            status: claim.verifiedAt != null ? ('verified' as const) : ('pending' as const),
            verified_at: iso(claim.verifiedAt),
            checked_at: iso(claim.checkedAt),
            last_error: claim.lastError,
            record: verificationRecord(claim),
            cname_target: pub.hostname,
          }
        : null,
      summary_url: `${url}/api/v2/summary.json`,
      atom_url: `${url}/feed.atom`,
      rss_url: `${url}/feed.rss`,
    }
  }

  app.get(
    '/projects/:id/status-page',
    describe({
      id: 'getStatusPageSettings',
      tag: 'statusAdmin',
      auth: 'session',
      summary: 'A project’s status-page addresses and custom domain',
      responses: { '200': json(StatusPageOut, 'Addresses and domain'), '404': error('not_found') },
    }),
    async (c) => {
      const project = await projectOf(c, 'viewer')
      return c.json({ status_page: await statusPageJson(project, await getCustomDomain(deps.db.orm, project.id)) })
    },
  )

  app.put(
    '/projects/:id/status-page',
    describe({
      id: 'setStatusPageDomain',
      tag: 'statusAdmin',
      auth: 'session',
      summary: 'Choose (or clear, with null) the custom domain (owners)',
      responses: {
        '200': json(StatusPageOut, 'Addresses and domain (to verify with the TXT record)'),
        '400': error('invalid_body, domain_not_allowed'),
        '404': error('not_found'),
        '409': error('domain_taken'),
      },
    }),
    validate('json', DomainInput),
    async (c) => {
      const project = await projectOf(c, 'owner')
      const domain = c.req.valid('json').custom_domain
      if (domain) {
        // Never the deployment's own address: the dashboard, API and widget would go dark there.
        const reason = reservedHostReason(domain, deps.config, [
          new URL(c.req.url).hostname,
          browserUrl(c, deps.config).hostname,
        ])
        if (reason) throw new ApiError(400, 'domain_not_allowed', `custom_domain: ${reason}.`)
      }
      const claim = await claimCustomDomain(deps, project.id, domain)
      if (claim === 'taken')
        throw new ApiError(409, 'domain_taken', 'Another project has already verified this domain.')
      forgetStatusHosts(deps)
      return c.json({ status_page: await statusPageJson(project, claim ?? undefined) })
    },
  )

  app.post(
    '/projects/:id/status-page/verify',
    describe({
      id: 'verifyStatusPageDomain',
      tag: 'statusAdmin',
      auth: 'session',
      summary: 'Check the custom domain’s TXT record (responders and owners)',
      responses: {
        '200': json(StatusPageOut, 'Verified'),
        '404': error('not_found'),
        '409': error('no_custom_domain, domain_taken'),
        '422': error('domain_not_verified'),
        '502': error('dns_lookup_failed'),
      },
    }),
    async (c) => {
      const project = await projectOf(c, 'responder')
      const outcome = await verifyCustomDomain(deps, project.id, lookupTxt)
      if (outcome.result === 'no_claim') throw new ApiError(409, 'no_custom_domain', 'Set a custom domain first.')
      if (outcome.result === 'taken') throw new ApiError(409, 'domain_taken', outcome.message)
      if (outcome.result === 'not_found') throw new ApiError(422, 'domain_not_verified', outcome.message)
      if (outcome.result === 'lookup_failed') throw new ApiError(502, 'dns_lookup_failed', outcome.message)
      forgetStatusHosts(deps)
      return c.json({ status_page: await statusPageJson(project, outcome.claim) })
    },
  )

  return app
}
