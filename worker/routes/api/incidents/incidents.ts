import { Hono } from 'hono'
import { z } from 'zod'
import { getCluster } from '../../../domain/triage/index.js'
import type { Deps } from '../../../domain/shared/index.js'
import {
  declareIncident,
  dismissRecurrence,
  listIncidents,
  notifyAffected,
  postUpdate,
  setIncidentDetails,
} from '../../../domain/incidents/index.js'
import { canSendEmail } from '../../../domain/notifications/index.js'
import { listProjects } from '../../../domain/projects/index.js'
import { ApiError } from '../../../http/errors.js'
import { describe, error, json } from '../../../http/openapi.js'
import type { Out } from '../../../http/schemas.js'
import {
  DeclareIncidentInput,
  IncidentListQuery,
  IncidentPatchInput,
  IncidentSummaryOut,
  IncidentUpdateInput,
  NotifiedOut,
  NotifyAffectedInput,
} from '../../../http/schemas/incidents.js'
import { validate } from '../../../http/validate.js'
import { projectFor, workspaceIdsOf, type ApiEnv } from '../context.js'
import { incidentSummaryJson } from './serialize.js'
import { affected, canSee, checkComponents, incidentAnswer, incidentDoc, incidentFor } from './shared.js'

/** Incidents and their updates: viewing needs the viewer role, changing them the responder role. */
export function incidentCoreRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get(
    '/incidents',
    describe({
      id: 'listIncidents',
      tag: 'incidents',
      auth: 'session',
      summary: 'Incidents of the projects the caller sees, newest first, with their latest update',
      responses: {
        '200': json(
          z.object({ incidents: z.array(IncidentSummaryOut) }).meta({ id: 'IncidentSummaryList' }),
          'Incidents',
        ),
        '404': error('not_found'),
      },
    }),
    validate('query', IncidentListQuery),
    async (c) => {
      const responder = c.get('responder')
      const q = c.req.valid('query')
      const projectIds = q.project_id
        ? [(await projectFor(deps, responder, q.project_id, 'viewer')).id]
        : (await Promise.all(workspaceIdsOf(responder).map((w) => listProjects(deps.db.orm, w))))
            .flat()
            .map((p) => p.id)
      const list = await listIncidents(deps.db.orm, projectIds, q.limit ?? 100)
      return c.json({ incidents: list.map(incidentSummaryJson) } satisfies {
        incidents: Out<typeof IncidentSummaryOut>[]
      })
    },
  )

  app.post(
    '/incidents',
    incidentDoc('declareIncident', 'Declare an incident (from a cluster, or for a project)', '201', {
      '400': error('invalid_body, different_projects'),
    }),
    validate('json', DeclareIncidentInput),
    async (c) => {
      const input = c.req.valid('json')
      const responder = c.get('responder')
      let projectId = input.project_id
      if (input.cluster_id) {
        // A cluster the caller cannot see answers exactly like one that does not exist, whatever
        // project_id says: otherwise the answer would tell foreign ids from made-up ones.
        const cluster = await getCluster(deps.db.orm, input.cluster_id)
        if (!cluster || !(await canSee(deps, responder, cluster.projectId)))
          throw new ApiError(404, 'not_found', 'Not found.')
        if (projectId && projectId !== cluster.projectId)
          throw new ApiError(400, 'different_projects', 'cluster_id belongs to another of your projects.')
        projectId = cluster.projectId
      }
      if (!projectId) throw new ApiError(400, 'invalid_body', 'project_id or cluster_id is required.')
      const project = await projectFor(deps, responder, projectId, 'responder')
      await checkComponents(deps, project.id, input.components)
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
        components: affected(input.components),
      })
      return c.json({ incident: await incidentAnswer(deps, incident.id) }, 201)
    },
  )

  app.get(
    '/incidents/:id',
    incidentDoc('getIncident', 'One incident with its updates, clusters, components and notices', '200'),
    async (c) => {
      const { incident } = await incidentFor(deps, c.get('responder'), c.req.param('id'), 'viewer')
      return c.json({ incident: await incidentAnswer(deps, incident.id) })
    },
  )

  app.patch(
    '/incidents/:id',
    incidentDoc('updateIncidentDetails', 'Change title, impact or visibility', '200'),
    validate('json', IncidentPatchInput),
    async (c) => {
      const { incident } = await incidentFor(deps, c.get('responder'), c.req.param('id'), 'responder')
      await setIncidentDetails(deps, incident.id, c.req.valid('json'))
      return c.json({ incident: await incidentAnswer(deps, incident.id) })
    },
  )

  app.post(
    '/incidents/:id/updates',
    incidentDoc(
      'postIncidentUpdate',
      'Post an update (status, public message, internal note, component changes); ' +
        'fans out to subscribers, webhooks and reporters',
      '201',
      { '400': error('invalid_body') },
    ),
    validate('json', IncidentUpdateInput),
    async (c) => {
      const responder = c.get('responder')
      const { incident } = await incidentFor(deps, responder, c.req.param('id'), 'responder')
      const input = c.req.valid('json')
      await checkComponents(deps, incident.projectId, input.components)
      await postUpdate(deps, incident.id, {
        status: input.status,
        message: input.message,
        internalNote: input.internal_note,
        authorId: responder.id,
        components: affected(input.components),
      })
      return c.json({ incident: await incidentAnswer(deps, incident.id) }, 201)
    },
  )

  /** "It is not back": the may-be-back mark goes (reopening is an update with a new status). */
  app.post(
    '/incidents/:id/recurrence/dismiss',
    incidentDoc(
      'dismissRecurrence',
      'Dismiss the "may be back" mark of a resolved incident (reopening is an update with a new status)',
      '200',
    ),
    async (c) => {
      const { incident } = await incidentFor(deps, c.get('responder'), c.req.param('id'), 'responder')
      await dismissRecurrence(deps, incident.id)
      return c.json({ incident: await incidentAnswer(deps, incident.id) })
    },
  )

  // A message to everyone affected: the people who reported it (in-app notice + e-mail if they left one).
  app.post(
    '/incidents/:id/notify-affected',
    describe({
      id: 'notifyAffected',
      tag: 'incidents',
      auth: 'session',
      summary: 'Send a message to everyone who reported the incident (in-app notice, e-mail if they left one)',
      responses: { '202': json(NotifiedOut, 'Queued'), '404': error('not_found') },
    }),
    validate('json', NotifyAffectedInput),
    async (c) => {
      const responder = c.get('responder')
      const { incident, project } = await incidentFor(deps, responder, c.req.param('id'), 'responder')
      const sent = await notifyAffected(deps, project, incident, c.req.valid('json').message)
      // `email_configured: false` → the e-mails are queued, not sent (the dashboard says so).
      const answer: Out<typeof NotifiedOut> = {
        notices: sent.notices,
        emails: sent.emails,
        email_configured: canSendEmail(deps),
      }
      return c.json(answer, 202)
    },
  )

  return app
}
