import { Hono } from 'hono'
import { z } from 'zod'
import type { Deps } from '../../domain/shared/index.js'
import { iso } from '../../domain/shared/index.js'
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
} from '../../domain/notifications/index.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { projectFor, type ApiEnv } from './context.js'
import { describe, error, json, noContent } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'

const WebhookOut = z
  .object({
    id: z.string(),
    project_id: z.string(),
    url: z.string(),
    kind: z.enum(WEBHOOK_KINDS),
    events: z.array(z.string()).meta({ description: 'Subscribed events (see the list answer’s `events`)' }),
    component_id: z.string().nullable(),
    secret_hint: z.string(),
    created_at: z.string(),
  })
  .meta({ id: 'Webhook' })
const WebhookList = z
  .object({ webhooks: z.array(WebhookOut), events: z.array(z.enum(WEBHOOK_EVENTS)) })
  .meta({ id: 'WebhookList' })
const WebhookCreated = z
  .object({
    webhook: WebhookOut,
    secret: z.string().meta({ description: 'The signing secret (whsec_…), shown once' }),
  })
  .meta({ id: 'WebhookCreated' })
const DeliveryList = z
  .object({
    deliveries: z.array(
      z.object({
        outbox_id: z.string(),
        event: z.string().nullable(),
        attempt: z.number(),
        status_code: z.number().nullable(),
        duration_ms: z.number(),
        error: z.string().nullable(),
        at: z.string(),
        status: z.string(),
      }),
    ),
  })
  .meta({ id: 'WebhookDeliveries' })

const CreateInput = z.object({
  url: z.string().trim().min(1).max(2000),
  kind: z.enum(WEBHOOK_KINDS).default('slack'),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).default(['surge']),
  component_id: z.string().max(64).nullish(),
})
const DeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() })

/** Never includes the secret: it is shown once, in the answer to the create request. */
export const webhookJson = (w: Webhook): Out<typeof WebhookOut> => ({
  id: w.id,
  project_id: w.projectId,
  url: w.url,
  kind: w.kind,
  events: webhookEvents(w),
  component_id: w.componentId,
  secret_hint: `whsec_…${w.secretHint}`,
  created_at: iso(w.createdAt)!,
})

/** Alert webhooks of a project: listing needs the responder role, changing them the owner role. */
export function webhookRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get(
    '/projects/:id/webhooks',
    describe({
      id: 'listWebhooks',
      tag: 'webhooks',
      auth: 'session',
      summary: 'A project’s webhooks (responders and owners)',
      responses: { '200': json(WebhookList, 'Webhooks and the events they can take'), '404': error('not_found') },
    }),
    async (c) => {
      const project = await projectFor(deps, c.get('responder'), c.req.param('id'), 'responder')
      return c.json({
        webhooks: (await listWebhooks(deps.db.orm, project.id)).map(webhookJson),
        events: [...WEBHOOK_EVENTS],
      } satisfies Out<typeof WebhookList>)
    },
  )

  app.post(
    '/projects/:id/webhooks',
    describe({
      id: 'createWebhook',
      tag: 'webhooks',
      auth: 'session',
      summary: 'Add a webhook (owners)',
      responses: {
        '201': json(WebhookCreated, 'Added; the secret is shown once'),
        '400': error('invalid_body, invalid_url'),
        '404': error('not_found'),
      },
    }),
    validate('json', CreateInput),
    async (c) => {
      const project = await projectFor(deps, c.get('responder'), c.req.param('id'), 'owner')
      const input = c.req.valid('json')
      const { webhook, secret } = await createWebhook(deps, {
        projectId: project.id,
        url: input.url,
        kind: input.kind,
        events: input.events,
        componentId: input.component_id ?? null,
      })
      return c.json({ webhook: webhookJson(webhook), secret } satisfies Out<typeof WebhookCreated>, 201)
    },
  )

  async function webhookFor(
    c: { get(k: 'responder'): ApiEnv['Variables']['responder'] },
    id: string,
    role: 'responder' | 'owner',
  ) {
    const hook = await getWebhook(deps.db.orm, id)
    if (!hook) throw new ApiError(404, 'not_found', 'Not found.')
    await projectFor(deps, c.get('responder'), hook.projectId, role)
    return hook
  }

  app.delete(
    '/webhooks/:id',
    describe({
      id: 'deleteWebhook',
      tag: 'webhooks',
      auth: 'session',
      summary: 'Delete a webhook (owners)',
      responses: { '204': noContent('Deleted'), '404': error('not_found') },
    }),
    async (c) => {
      const hook = await webhookFor(c, c.req.param('id'), 'owner')
      await deleteWebhook(deps, hook.id)
      return c.body(null, 204)
    },
  )

  app.get(
    '/webhooks/:id/deliveries',
    describe({
      id: 'listWebhookDeliveries',
      tag: 'webhooks',
      auth: 'session',
      summary: 'Recent delivery attempts of a webhook',
      responses: { '200': json(DeliveryList, 'Attempts, newest first'), '404': error('not_found') },
    }),
    validate('query', DeliveriesQuery),
    async (c) => {
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
          at: iso(d.at)!,
          status: d.status,
        })),
      } satisfies Out<typeof DeliveryList>)
    },
  )

  app.post(
    '/webhooks/:id/test',
    describe({
      id: 'testWebhook',
      tag: 'webhooks',
      auth: 'session',
      summary: 'Queue a test event to a webhook (owners)',
      responses: {
        '202': json(z.object({ outbox_id: z.string() }).meta({ id: 'WebhookTestQueued' }), 'Queued in the outbox'),
        '404': error('not_found'),
      },
    }),
    async (c) => {
      const hook = await webhookFor(c, c.req.param('id'), 'owner')
      const outboxId = await sendTestEvent(deps, hook)
      return c.json({ outbox_id: outboxId } satisfies { outbox_id: string }, 202)
    },
  )

  return app
}
