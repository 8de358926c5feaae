import { Hono } from 'hono'
import { assignCluster, setClusterStatus } from '../../../domain/triage/index.js'
import type { Deps } from '../../../domain/shared/index.js'
import { listMembers } from '../../../domain/access/index.js'
import { ApiError } from '../../../http/errors.js'
import { AssignInput, StatusInput } from '../../../http/schemas/clusters.js'
import { validate } from '../../../http/validate.js'
import { projectFor, type ApiEnv } from '../context.js'
import { clusterJson } from '../serialize.js'
import { clusterDoc, clusterFor, clusterNow } from './shared.js'

/** A responder's triage of one cluster: its status and who is on it. */
export function clusterActionRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.post(
    '/clusters/:id/status',
    clusterDoc('setClusterStatus', 'Acknowledge, mute, resolve or reopen a cluster', 'invalid_body'),
    validate('json', StatusInput),
    async (c) => {
      const cluster = await clusterFor(deps, c.get('responder'), c.req.param('id'), 'responder')
      await setClusterStatus(deps, cluster.id, c.req.valid('json').status)
      return c.json({ cluster: clusterJson(await clusterNow(deps, cluster.id)) })
    },
  )

  app.post(
    '/clusters/:id/assign',
    clusterDoc(
      'assignCluster',
      'Assign a cluster to an owner or responder (null: nobody)',
      'invalid_body, invalid_assignee',
    ),
    validate('json', AssignInput),
    async (c) => {
      const responder = c.get('responder')
      const cluster = await clusterFor(deps, responder, c.req.param('id'), 'responder')
      const assigneeId = c.req.valid('json').assignee_id
      if (assigneeId) {
        const project = await projectFor(deps, responder, cluster.projectId, 'responder')
        const member = (await listMembers(deps.db.orm, project.workspaceId)).find((m) => m.id === assigneeId)
        if (!member || (member.role !== 'owner' && member.role !== 'responder'))
          throw new ApiError(400, 'invalid_assignee', 'Assign to an owner or responder of this workspace.')
      }
      await assignCluster(deps, cluster.id, assigneeId)
      return c.json({ cluster: clusterJson(await clusterNow(deps, cluster.id)) })
    },
  )

  return app
}
