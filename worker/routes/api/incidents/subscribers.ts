import { Hono } from 'hono'
import { z } from 'zod'
import type { Deps } from '../../../domain/shared/index.js'
import { listSubscribers, removeSubscriber } from '../../../domain/incidents/index.js'
import { json, noContent } from '../../../http/openapi.js'
import type { Out } from '../../../http/schemas.js'
import { SubscriberOut } from '../../../http/schemas/status-admin.js'
import type { ApiEnv } from '../context.js'
import { subscriberJson } from './serialize.js'
import { adminDoc, projectOf } from './shared.js'

/** The status page's e-mail subscribers (responders: the addresses are personal data). */
export function subscriberRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get(
    '/projects/:id/subscribers',
    adminDoc('listSubscribers', 'E-mail subscribers of the status page', {
      '200': json(z.object({ subscribers: z.array(SubscriberOut) }).meta({ id: 'SubscriberList' }), 'Subscribers'),
    }),
    async (c) => {
      const project = await projectOf(deps, c, 'responder')
      const list = await listSubscribers(deps.db.orm, project.id)
      return c.json({ subscribers: list.map(subscriberJson) } satisfies { subscribers: Out<typeof SubscriberOut>[] })
    },
  )
  app.delete(
    '/projects/:id/subscribers/:subscriberId',
    adminDoc('removeSubscriber', 'Remove a subscriber', { '204': noContent('Removed') }),
    async (c) => {
      const project = await projectOf(deps, c, 'responder')
      await removeSubscriber(deps, project.id, c.req.param('subscriberId'))
      return c.body(null, 204)
    },
  )

  return app
}
