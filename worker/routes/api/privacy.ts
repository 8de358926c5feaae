import { Hono } from 'hono'
import { z } from 'zod'
import type { Deps } from '../../domain/shared/index.js'
import { eraseReporter } from '../../domain/privacy/index.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { projectFor, requirePerson, requireRole, type ApiEnv } from './context.js'
import { abuseCounts } from '../../domain/reports/index.js'
import { describe, json } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'

const ErasedOut = z
  .object({
    erased: z
      .object({
        reports: z.number(),
        clusters: z.number(),
        notices: z.number(),
        subscribers: z.number(),
        outbox: z.number(),
        attachments: z.number(),
      })
      .meta({ description: 'Rows removed per kind' }),
  })
  .meta({ id: 'Erased' })
const AbuseOut = z
  .object({
    counts: z.array(
      z.object({
        kind: z.string().meta({ description: 'honeypot, link spam, repeated text, rate limited…' }),
        day: z.string(),
        count: z.number(),
      }),
    ),
  })
  .meta({ id: 'AbuseCounts' })

const EraseInput = z
  .object({
    email: z.string().trim().min(3).max(320).optional(),
    reporter_id: z.string().trim().min(1).max(128).optional(),
  })
  .refine((v) => v.email || v.reporter_id, 'email or reporter_id is required')

const AbuseQuery = z.object({ days: z.coerce.number().int().min(1).max(90).optional() })

/**
 * A reporter's right to erasure (owners delete one person's data across the workspace), and what
 * the abuse defences turned away per day (honeypot, link spam, repeated text, rate limits).
 */
export function privacyRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  app.post(
    '/workspaces/:ws/privacy/erase',
    describe({
      id: 'eraseCustomer',
      tag: 'privacy',
      auth: 'person',
      summary: 'Erase one customer’s data across the workspace (owners)',
      responses: { '200': json(ErasedOut, 'What was erased') },
    }),
    validate('json', EraseInput),
    async (c) => {
      const responder = c.get('responder')
      requireRole(responder, c.req.param('ws'), 'owner')
      requirePerson(responder)
      const input = c.req.valid('json')
      if (!input.email && !input.reporter_id)
        throw new ApiError(400, 'invalid_body', 'email or reporter_id is required')
      const erased = await eraseReporter(deps, c.req.param('ws'), { email: input.email, reporterId: input.reporter_id })
      return c.json({ erased } satisfies Out<typeof ErasedOut>)
    },
  )
  app.get(
    '/projects/:id/abuse',
    describe({
      id: 'abuseCounts',
      tag: 'privacy',
      auth: 'session',
      summary: 'What the abuse defences turned away per day',
      responses: { '200': json(AbuseOut, 'Counts per day and kind, newest first') },
    }),
    validate('query', AbuseQuery),
    async (c) => {
      const project = await projectFor(deps, c.get('responder'), c.req.param('id'), 'viewer')
      const counts = await abuseCounts(deps, project.id, c.req.valid('query').days ?? 30)
      return c.json({ counts } satisfies Out<typeof AbuseOut>)
    },
  )
  return app
}
