import { Hono } from 'hono'
import { z } from 'zod'
import type { Deps } from '../../../domain/shared/index.js'
import { assertComponentsOf } from '../../../domain/incidents/index.js'
import {
  cancelMaintenance,
  getMaintenance,
  listMaintenances,
  scheduleMaintenance,
} from '../../../domain/incidents/index.js'
import { ApiError } from '../../../http/errors.js'
import { error, json, noContent } from '../../../http/openapi.js'
import { MaintenanceInput, MaintenanceOut } from '../../../http/schemas/status-admin.js'
import { validate } from '../../../http/validate.js'
import type { ApiEnv } from '../context.js'
import { maintenanceJson } from './serialize.js'
import { adminDoc, projectOf } from './shared.js'

/** Maintenance windows: viewers list them, responders schedule and cancel them. */
export function maintenanceRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get(
    '/projects/:id/maintenances',
    adminDoc('listMaintenances', 'Maintenance windows of the last 90 days and to come', {
      '200': json(z.object({ maintenances: z.array(MaintenanceOut) }).meta({ id: 'MaintenanceList' }), 'Windows'),
    }),
    async (c) => {
      const project = await projectOf(deps, c, 'viewer')
      const now = deps.clock.now()
      const list = await listMaintenances(deps.db.orm, project.id, now - 90 * 86_400_000, now, {
        includeCancelled: true,
      })
      return c.json({ maintenances: list.reverse().map(maintenanceJson) })
    },
  )
  app.post(
    '/projects/:id/maintenances',
    adminDoc('scheduleMaintenance', 'Schedule a maintenance window (subscribers and webhooks are told)', {
      '201': json(z.object({ maintenance: MaintenanceOut }).meta({ id: 'MaintenanceAnswer' }), 'Scheduled'),
      '400': error('invalid_body'),
    }),
    validate('json', MaintenanceInput),
    async (c) => {
      const project = await projectOf(deps, c, 'responder')
      const input = c.req.valid('json')
      if (!(await assertComponentsOf(deps.db.orm, project.id, input.component_ids)))
        throw new ApiError(400, 'invalid_body', 'component_ids: unknown component for this project.')
      const row = await scheduleMaintenance(deps, {
        projectId: project.id,
        title: input.title,
        message: input.message,
        startsAt: Date.parse(input.starts_at),
        endsAt: Date.parse(input.ends_at),
        componentIds: input.component_ids,
        authorId: c.get('responder').id,
      })
      const now = deps.clock.now()
      const view = (await listMaintenances(deps.db.orm, project.id, row.endsAt, now)).find((m) => m.id === row.id)!
      return c.json({ maintenance: maintenanceJson(view) }, 201)
    },
  )
  app.post(
    '/projects/:id/maintenances/:maintenanceId/cancel',
    adminDoc('cancelMaintenance', 'Cancel a maintenance window', { '204': noContent('Cancelled') }),
    async (c) => {
      const project = await projectOf(deps, c, 'responder')
      const row = await getMaintenance(deps.db.orm, c.req.param('maintenanceId'))
      if (!row || row.projectId !== project.id) throw new ApiError(404, 'not_found', 'Not found.')
      await cancelMaintenance(deps, project.id, row.id)
      return c.body(null, 204)
    },
  )

  return app
}
