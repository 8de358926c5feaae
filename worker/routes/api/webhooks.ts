import { Hono } from 'hono'
import { z } from 'zod'
import type { Deps } from '../../domain/deps.js'
import { iso } from '../../domain/json.js'
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  sendTestEvent,
  WEBHOOK_EVENTS,
  WEBHOOK_KINDS,
  webhookEvents,
  type Webhook,
} from '../../domain/notifications/webhooks.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { projectFor, type ApiEnv } from './context.js'

const CreateInput = z.object({
  url: z.string().trim().min(1).max(2000),
  kind: z.enum(WEBHOOK_KINDS).default('slack'),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).default(['surge']),
  component_id: z.string().max(64).nullish(),
})
const DeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() })

/** Never includes the secret: it is shown once, in the answer to the create request. */
export const webhookJson = (w: Webhook) => ({
  id: w.id,
  project_id: w.projectId,
  url: w.url,
  kind: w.kind,
  events: webhookEvents(w),
  component_id: w.componentId,
  secret_hint: `whsec_…${w.secretHint}`,
  created_at: iso(w.createdAt),
})

/** Alert webhooks of a project: listing needs the responder role, changing them the owner role. */
export function webhookRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get('/projects/:id/webhooks', async (c) => {
    const project = await projectFor(deps, c.get('responder'), c.req.param('id'), 'responder')
    return c.json({ webhooks: (await listWebhooks(deps.db.orm, project.id)).map(webhookJson), events: WEBHOOK_EVENTS })
  })

  app.post('/projects/:id/webhooks', validate('json', CreateInput), async (c) => {
    const project = await projectFor(deps, c.get('responder'), c.req.param('id'), 'owner')
    const input = c.req.valid('json')
    const { webhook, secret } = await createWebhook(deps, {
      projectId: project.id,
      url: input.url,
      kind: input.kind,
      events: input.events,
      componentId: input.component_id ?? null,
    })
    return c.json({ webhook: webhookJson(webhook), secret }, 201)
  })

  async function webhookFor(c: { get(k: 'responder'): ApiEnv['Variables']['responder'] }, id: string, role: 'responder' | 'owner') {
    const hook = await getWebhook(deps.db.orm, id)
    if (!hook) throw new ApiError(404, 'not_found', 'Not found.')
    await projectFor(deps, c.get('responder'), hook.projectId, role)
    return hook
  }

  app.delete('/webhooks/:id', async (c) => {
    const hook = await webhookFor(c, c.req.param('id'), 'owner')
    await deleteWebhook(deps, hook.id)
    return c.body(null, 204)
  })

  app.get('/webhooks/:id/deliveries', validate('query', DeliveriesQuery), async (c) => {
    const hook = await webhookFor(c, c.req.param('id'), 'responder')
    const rows = await listDeliveries(deps.db.orm, hook.id, c.req.valid('query').limit)
    return c.json({
      deliveries: rows.map((d) => ({
        outbox_id: d.outboxId,
        event: d.event,
        attempt: d.attempt,
        status_code: d.statusCode,
        duration_ms: d.durationMs,
        error: d.error,
        at: iso(d.at),
        status: d.status,
      })),
    })
  })

  app.post('/webhooks/:id/test', async (c) => {
    const hook = await webhookFor(c, c.req.param('id'), 'owner')
    const outboxId = await sendTestEvent(deps, hook)
    return c.json({ outbox_id: outboxId }, 202)
  })

  return app
}
