import { Hono } from 'hono'
import { z } from 'zod'
import { OUTBOX_CHANNELS, OUTBOX_STATUSES } from '../../domain/vocabulary.js'
import type { Deps } from '../../domain/deps.js'
import { iso } from '../../domain/json.js'
import { canSendEmail } from '../../domain/notifications/outbox.js'
import { listOutbox, type OutboxEntry } from '../../domain/notifications/outbox-view.js'
import { listProjects } from '../../domain/projects.js'
import { validate } from '../../http/validate.js'
import { requireRole, type ApiEnv } from './context.js'

const OutboxQuery = z.object({
  channel: z.enum(OUTBOX_CHANNELS).optional(),
  status: z.enum(OUTBOX_STATUSES).optional(),
  project_id: z.string().max(64).optional(),
  before: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})

const entryJson = (e: OutboxEntry) => ({
  id: e.id,
  project_id: e.projectId,
  channel: e.channel,
  target: e.target,
  status: e.status,
  attempts: e.attempts,
  next_attempt_at: iso(e.nextAttemptAt),
  last_error: e.lastError,
  created_at: iso(e.createdAt),
  sent_at: iso(e.sentAt),
  subject: e.subject,
  content: e.content,
  event: e.event,
  tries: e.tries.map((t) => ({ attempt: t.attempt, status_code: t.statusCode, duration_ms: t.durationMs, error: t.error, at: iso(t.at) })),
})

/**
 * The Outbox page (owners): every e-mail and webhook delivery of the workspace's projects with its
 * content and attempts, and whether e-mail can leave at all (`email_configured`).
 */
export function outboxRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  app.get('/workspaces/:ws/outbox', validate('query', OutboxQuery), async (c) => {
    const ws = c.req.param('ws')
    requireRole(c.get('responder'), ws, 'owner')
    const q = c.req.valid('query')
    const projectIds = (await listProjects(deps.db.orm, ws)).map((p) => p.id).filter((id) => !q.project_id || id === q.project_id)
    const limit = q.limit ?? 50
    const list = await listOutbox(deps.db.orm, deps.config, projectIds, { channel: q.channel, status: q.status, before: q.before, limit })
    return c.json({
      email_configured: canSendEmail(deps),
      environment: deps.config.environment,
      entries: list.map(entryJson),
      next_before: list.length === limit ? list.at(-1)!.id : null,
    })
  })
  return app
}
