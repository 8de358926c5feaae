import { Hono } from 'hono'
import { z } from 'zod'
import { customerReporterId } from '../../domain/reports/index.js'
import { externalIdKey, staffKey } from '../../domain/reports/index.js'
import type { Deps } from '../../domain/shared/index.js'
import { submitReport } from '../../domain/reports/index.js'
import { normalizeRoute, routeFromUrl } from '../../domain/reports/index.js'
import { validate } from '../../http/validate.js'
import { projectFor, type ApiEnv } from './context.js'
import { describe, error, json } from '../../http/openapi.js'
import { ReportAccepted, type Out } from '../../http/schemas.js'

/** What support (or a help desk) knows about a customer's report. */
const SupportReportInput = z.object({
  message: z.string().trim().min(1, 'message is required').max(5000),
  channel: z.enum(['email', 'chat', 'phone', 'other']).default('other'),
  customer_contact: z.string().trim().max(320).optional(),
  customer_email: z.email().max(320).optional(),
  page_url: z.string().trim().max(2048).optional(),
  route: z.string().trim().max(512).optional(),
  release: z.string().trim().max(128).optional(),
  locale: z.string().trim().max(35).optional(),
  /** Ticket id in the help desk, kept in context and used as the idempotency key when none is given. */
  external_id: z.string().trim().max(200).optional(),
  idempotency_key: z.string().min(8).max(128).optional(),
})

/**
 * Support and help desks feed the same intake as the widget (`submitReport`): the report is
 * stored at once and then clustered, counted and surge-checked by the pipeline like any other.
 * Session → source 'support', API token → source 'api'.
 */
export function reportRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  app.post(
    '/projects/:id/reports',
    describe({
      id: 'addReport',
      tag: 'reports',
      auth: 'session',
      summary: 'Add a report for a customer (support, or a help desk with an API token)',
      description:
        '`external_id` (the ticket id) or `idempotency_key` makes retries safe: the same key and body ' +
        'answer 200 with the same id.',
      responses: {
        '201': json(ReportAccepted, 'Stored; clustered moments later by the pipeline'),
        '200': json(ReportAccepted, 'Already stored under this key'),
        '404': error('not_found'),
        '409': error('idempotency_key_reused'),
      },
    }),
    validate('json', SupportReportInput),
    async (c) => {
      const principal = c.get('responder')
      const project = await projectFor(deps, principal, c.req.param('id'), 'support')
      const input = c.req.valid('json')
      const contact = input.customer_contact || input.customer_email
      // One customer = one reporter (distinct-reporter counts stay honest): a random id stored per
      // contact, never one derived from the e-mail (worker/domain/reports/customers.ts).
      const reporterId = contact ? await customerReporterId(deps, project.id, contact) : undefined
      const route = input.route ? normalizeRoute(input.route) : routeFromUrl(input.page_url)
      // Staff keys live in their own part of the key space (`support:`, `ext:`), which the public API
      // refuses: a widget request cannot claim a ticket's key (domain/reports/idempotency.ts).
      const idempotencyKey = input.idempotency_key
        ? staffKey(input.idempotency_key)
        : input.external_id
          ? externalIdKey(input.external_id)
          : undefined
      const accepted = await submitReport(
        deps,
        project,
        {
          message: input.message,
          email: input.customer_email,
          page_url: input.page_url,
          route,
          release: input.release,
          locale: input.locale,
          reporter_id: reporterId,
          context: {
            customer_contact: contact,
            added_by: principal.token
              ? { token_id: principal.token.id }
              : { responder_id: principal.id, email: principal.email },
            ...(input.external_id ? { external_id: input.external_id } : {}),
          },
        },
        // What the help desk sent identifies a retry (not who sent it: a rotated token retries the same ticket).
        { source: principal.token ? 'api' : 'support', channel: input.channel, idempotencyKey, request: input },
      )
      // Stored; the pipeline clusters it within moments (the answer promises no cluster).
      return c.json({ id: accepted.id } satisfies Out<typeof ReportAccepted>, accepted.duplicate ? 200 : 201)
    },
  )
  return app
}
