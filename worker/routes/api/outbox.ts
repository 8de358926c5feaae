import { Hono } from 'hono'
import { z } from 'zod'
import { OUTBOX_CHANNELS, OUTBOX_STATUSES } from '../../domain/shared/index.js'
import type { Deps } from '../../domain/shared/index.js'
import { iso } from '../../domain/shared/index.js'
import { canSendEmail } from '../../domain/notifications/index.js'
import { listOutbox, type OutboxEntry } from '../../domain/notifications/index.js'
import { listProjects } from '../../domain/projects/index.js'
import { validate } from '../../http/validate.js'
import { requireRole, type ApiEnv } from './context.js'
import { describe, json } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'

const EntryOut = z
  .object({
    id: z.string(),
    project_id: z.string().nullable(),
    channel: z.enum(OUTBOX_CHANNELS),
    target: z.string().meta({ description: 'E-mail address or webhook URL' }),
    status: z.enum(['pending', 'sending', 'sent', 'failed']),
    attempts: z.number(),
    next_attempt_at: z.string(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    sent_at: z.string().nullable(),
    subject: z.string().nullable(),
    content: z.string().meta({ description: 'E-mail text, or the webhook body as sent' }),
    event: z.string().nullable(),
    tries: z.array(
      z.object({
        attempt: z.number(),
        status_code: z.number().nullable(),
        duration_ms: z.number(),
        error: z.string().nullable(),
        at: z.string(),
      }),
    ),
  })
  .meta({ id: 'OutboxEntry' })
const OutboxOut = z
  .object({
    email_configured: z.boolean(),
    environment: z.string(),
    entries: z.array(EntryOut),
    next_before: z.string().nullable(),
  })
  .meta({ id: 'OutboxList' })

const OutboxQuery = z.object({
  channel: z.enum(OUTBOX_CHANNELS).optional(),
  status: z.enum(OUTBOX_STATUSES).optional(),
  project_id: z.string().max(64).optional(),
  before: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})

const entryJson = (e: OutboxEntry): Out<typeof EntryOut> => ({
  id: e.id,
  project_id: e.projectId,
  channel: e.channel,
  target: e.target,
  status: e.status,
  attempts: e.attempts,
  next_attempt_at: iso(e.nextAttemptAt)!,
  last_error: e.lastError,
  created_at: iso(e.createdAt)!,
  sent_at: iso(e.sentAt),
  subject: e.subject,
  content: e.content,
  event: e.event,
  tries: e.tries.map((t) => ({
    attempt: t.attempt,
    status_code: t.statusCode,
    duration_ms: t.durationMs,
    error: t.error,
    at: iso(t.at)!,
  })),
})

/**
 * The Outbox page (owners): every e-mail and webhook delivery of the workspace's projects with its
 * content and attempts, and whether e-mail can leave at all (`email_configured`).
 */
export function outboxRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  app.get(
    '/workspaces/:ws/outbox',
    describe({
      id: 'listOutbox',
      tag: 'outbox',
      auth: 'session',
      summary: 'Every e-mail and webhook delivery of the workspace, with content and attempts (owners)',
      responses: { '200': json(OutboxOut, 'One page, newest first') },
    }),
    validate('query', OutboxQuery),
    async (c) => {
      const ws = c.req.param('ws')
      requireRole(c.get('responder'), ws, 'owner')
      const q = c.req.valid('query')
      const projectIds = (await listProjects(deps.db.orm, ws))
        .map((p) => p.id)
        .filter((id) => !q.project_id || id === q.project_id)
      const limit = q.limit ?? 50
      const list = await listOutbox(deps.db.orm, deps.config, projectIds, {
        channel: q.channel,
        status: q.status,
        before: q.before,
        limit,
      })
      return c.json({
        email_configured: canSendEmail(deps),
        environment: deps.config.environment,
        entries: list.map(entryJson),
        next_before: list.length === limit ? list.at(-1)!.id : null,
      } satisfies Out<typeof OutboxOut>)
    },
  )
  return app
}
