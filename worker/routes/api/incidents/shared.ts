// What the incident area's route files share: their OpenAPI shapes, the access checks (an
// incident or project the caller may see or change, 404 for foreign ids) and the incident answer.
import type { Context } from 'hono'
import type { z } from 'zod'
import type { Deps } from '../../../domain/shared/index.js'
import { getIncident, reportsSinceResolved } from '../../../domain/incidents/index.js'
import { noticeCounts } from '../../../domain/incidents/index.js'
import { findProjectById } from '../../../domain/projects/index.js'
import { assertComponentsOf } from '../../../domain/incidents/index.js'
import { statusPageUrl } from '../../../domain/incidents/index.js'
import { ApiError, DomainError } from '../../../http/errors.js'
import { describe, error, json } from '../../../http/openapi.js'
import type { Out } from '../../../http/schemas.js'
import { type AffectedComponents, IncidentAnswer, type IncidentOut } from '../../../http/schemas/incidents.js'
import { projectFor, type ApiEnv } from '../context.js'
import { incidentJson } from './serialize.js'

type Responder = ApiEnv['Variables']['responder']
type Affected = z.infer<typeof AffectedComponents>

export const incidentDoc = (
  id: string,
  summary: string,
  status: '200' | '201',
  extra: Record<string, ReturnType<typeof error>> = {},
) =>
  describe({
    id,
    tag: 'incidents',
    auth: 'session',
    summary,
    responses: { [status]: json(IncidentAnswer, 'The incident'), '404': error('not_found'), ...extra },
  })

export const adminDoc = (id: string, summary: string, responses: Parameters<typeof describe>[0]['responses']) =>
  describe({ id, tag: 'statusAdmin', auth: 'session', summary, responses: { '404': error('not_found'), ...responses } })

/** The affected components as the domain takes them. */
export const affected = (list: Affected) => list?.map((c) => ({ componentId: c.component_id, status: c.status }))

/** 400 when a listed component is not the project's. */
export async function checkComponents(deps: Deps, projectId: string, list: Affected) {
  if (
    list &&
    !(await assertComponentsOf(
      deps.db.orm,
      projectId,
      list.map((c) => c.component_id),
    ))
  ) {
    throw new ApiError(400, 'invalid_body', 'components: unknown component for this project.')
  }
}

/** Whether the caller is a member of the project's workspace (any role). */
export async function canSee(deps: Deps, responder: Responder, projectId: string) {
  return projectFor(deps, responder, projectId, 'viewer').then(
    () => true,
    (error) => {
      if (
        (error instanceof ApiError && error.status === 404) ||
        (error instanceof DomainError && error.kind === 'not_found')
      )
        return false
      throw error // e.g. the database is down: 503, not a made-up 404
    },
  )
}

/** The incident and its project, if the caller has `role` there (404 otherwise). */
export async function incidentFor(deps: Deps, responder: Responder, id: string, role: 'viewer' | 'responder') {
  const incident = await getIncident(deps.db.orm, id)
  if (!incident) throw new ApiError(404, 'not_found', 'Not found.')
  const project = await projectFor(deps, responder, incident.projectId, role)
  return { incident, project }
}

/** The project of `/projects/:id/…`, if the caller has `role` there. */
export const projectOf = (deps: Deps, c: Context<ApiEnv>, role: 'viewer' | 'responder' | 'owner') =>
  projectFor(deps, c.get('responder'), c.req.param('id')!, role)

/** One incident as the dashboard shows it (IncidentAnswer's `incident`), read as stored now. */
export async function incidentAnswer(deps: Deps, id: string): Promise<Out<typeof IncidentOut>> {
  const i = (await getIncident(deps.db.orm, id))!
  const project = (await findProjectById(deps.db.orm, i.projectId))!
  return incidentJson(i, {
    reportsSinceResolved:
      i.status === 'resolved' && i.mayBeBackAt != null ? await reportsSinceResolved(deps.db.orm, i.id, i.updatedAt) : 0,
    notices: await noticeCounts(deps.db.orm, i.id),
    statusPageUrl:
      i.visibility === 'public' ? `${await statusPageUrl(deps.db.orm, deps.config, project)}/incidents/${i.id}` : null,
  })
}
