import { Hono } from 'hono'
import { z } from 'zod'
import { INCIDENT_IMPACTS, INCIDENT_STATUSES } from '../../db/schema/index.js'
import { getCluster } from '../../domain/clusters.js'
import type { Deps } from '../../domain/deps.js'
import { declareIncident, getIncident, listIncidents, postUpdate } from '../../domain/incidents.js'
import { iso } from '../../domain/json.js'
import { listProjects } from '../../domain/projects.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { projectFor, workspaceIdsOf, type ApiEnv } from './context.js'
import { updateJson } from './serialize.js'

const DeclareInput = z.object({
  project_id: z.string().max(64).optional(),
  cluster_id: z.string().max(64).optional(),
  title: z.string().trim().min(1).max(200),
  impact: z.enum(INCIDENT_IMPACTS).default('minor'),
  visibility: z.enum(['public', 'private']).default('public'),
  status: z.enum(['investigating', 'identified', 'monitoring']).default('investigating'),
  message: z.string().trim().min(1).max(5000),
  internal_note: z.string().trim().max(5000).optional(),
})
const UpdateInput = z.object({
  status: z.enum(INCIDENT_STATUSES),
  message: z.string().trim().min(1).max(5000),
  internal_note: z.string().trim().max(5000).optional(),
})

export function incidentRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get('/incidents', async (c) => {
    const responder = c.get('responder')
    const projects = (await Promise.all(workspaceIdsOf(responder).map((w) => listProjects(deps.db.orm, w)))).flat()
    const list = await listIncidents(deps.db.orm, projects.map((p) => p.id))
    return c.json({
      incidents: list.map((i) => ({
        id: i.id,
        project_id: i.projectId,
        title: i.title,
        impact: i.impact,
        visibility: i.visibility,
        status: i.status,
        created_at: iso(i.createdAt),
        updated_at: iso(i.updatedAt),
        latest_update: updateJson(i.latest),
      })),
    })
  })

  app.post('/incidents', validate('json', DeclareInput), async (c) => {
    const input = c.req.valid('json')
    const responder = c.get('responder')
    let projectId = input.project_id
    if (input.cluster_id) {
      const cluster = await getCluster(deps.db.orm, input.cluster_id)
      if (!cluster) throw new ApiError(404, 'not_found', 'Cluster not found.')
      if (projectId && projectId !== cluster.projectId) throw new ApiError(400, 'invalid_body', 'cluster_id belongs to another project.')
      projectId = cluster.projectId
    }
    if (!projectId) throw new ApiError(400, 'invalid_body', 'project_id or cluster_id is required.')
    const project = await projectFor(deps, responder, projectId, 'responder')
    const incident = await declareIncident(deps, {
      projectId: project.id,
      clusterId: input.cluster_id,
      title: input.title,
      impact: input.impact,
      visibility: input.visibility,
      status: input.status,
      message: input.message,
      internalNote: input.internal_note,
      authorId: responder.id,
    })
    return c.json({ incident: await incidentJson(incident.id) }, 201)
  })

  async function incidentFor(responder: ApiEnv['Variables']['responder'], id: string, role: 'viewer' | 'responder') {
    const incident = await getIncident(deps.db.orm, id)
    if (!incident) throw new ApiError(404, 'not_found', 'Not found.')
    await projectFor(deps, responder, incident.projectId, role)
    return incident
  }

  async function incidentJson(id: string) {
    const i = (await getIncident(deps.db.orm, id))!
    return {
      id: i.id,
      project_id: i.projectId,
      title: i.title,
      impact: i.impact,
      visibility: i.visibility,
      status: i.status,
      created_at: iso(i.createdAt),
      updated_at: iso(i.updatedAt),
      updates: i.updates.map(updateJson),
      clusters: i.clusters.map((cl) => ({ id: cl.id, title: cl.title, report_count: cl.reportCount, reporter_count: cl.reporterCount })),
    }
  }

  app.get('/incidents/:id', async (c) => {
    const incident = await incidentFor(c.get('responder'), c.req.param('id'), 'viewer')
    return c.json({ incident: await incidentJson(incident.id) })
  })

  app.post('/incidents/:id/updates', validate('json', UpdateInput), async (c) => {
    const responder = c.get('responder')
    const incident = await incidentFor(responder, c.req.param('id'), 'responder')
    const input = c.req.valid('json')
    await postUpdate(deps, incident.id, { status: input.status, message: input.message, internalNote: input.internal_note, authorId: responder.id })
    return c.json({ incident: await incidentJson(incident.id) }, 201)
  })

  return app
}
