import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { COMPONENT_STATUSES, INCIDENT_IMPACTS, INCIDENT_STATUSES } from '../../domain/vocabulary.js'
import { getCluster } from '../../domain/clusters.js'
import type { Deps } from '../../domain/deps.js'
import {
  declareIncident,
  dismissRecurrence,
  getIncident,
  listIncidents,
  notifyAffected,
  postUpdate,
  reportsSinceResolved,
  setIncidentDetails,
} from '../../domain/incidents.js'
import { iso } from '../../domain/json.js'
import { noticeCounts } from '../../domain/notices.js'
import { canSendEmail } from '../../domain/notifications/outbox.js'
import { findProjectById, listProjects } from '../../domain/projects.js'
import {
  assertComponentsOf,
  createComponent,
  deleteComponent,
  getComponent,
  listComponents,
  updateComponent,
  type Component,
} from '../../domain/status/components.js'
import {
  incidentLearning,
  learningMarkdown,
  projectLearning,
  type IncidentLearning,
} from '../../domain/status/learning.js'
import { statusPageUrl } from '../../domain/status/links.js'
import {
  cancelMaintenance,
  getMaintenance,
  listMaintenances,
  scheduleMaintenance,
  type MaintenanceView,
} from '../../domain/status/maintenance.js'
import { listSubscribers, removeSubscriber } from '../../domain/status/subscriptions.js'
import { createStatusToken, listStatusTokens, revokeStatusToken } from '../../domain/status/tokens.js'
import { ApiError, DomainError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { projectFor, workspaceIdsOf, type ApiEnv } from './context.js'
import { incidentHeadJson, updateJson } from './serialize.js'
import { describe, error, json, noContent } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'
import {
  ComponentOut,
  IncidentAnswer,
  type IncidentOut,
  IncidentSummaryOut,
  LearningOut,
  MaintenanceOut,
  NotifiedOut,
  ProjectLearningOut,
  StatusTokenCreated,
  StatusTokenOut,
  SubscriberOut,
} from './incident-schemas.js'

const incidentDoc = (
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
const adminDoc = (id: string, summary: string, responses: Parameters<typeof describe>[0]['responses']) =>
  describe({ id, tag: 'statusAdmin', auth: 'session', summary, responses: { '404': error('not_found'), ...responses } })

const AffectedComponents = z
  .array(z.object({ component_id: z.string().max(64), status: z.enum(COMPONENT_STATUSES).exclude(['operational']) }))
  .max(100)
  .optional()

const DeclareInput = z.object({
  project_id: z.string().max(64).optional(),
  cluster_id: z.string().max(64).optional(),
  title: z.string().trim().min(1).max(200),
  impact: z.enum(INCIDENT_IMPACTS).default('minor'),
  visibility: z.enum(['public', 'private']).default('public'),
  status: z.enum(['investigating', 'identified', 'monitoring']).default('investigating'),
  message: z.string().trim().min(1).max(5000),
  internal_note: z.string().trim().max(5000).optional(),
  components: AffectedComponents,
})
const UpdateInput = z.object({
  status: z.enum(INCIDENT_STATUSES),
  message: z.string().trim().min(1).max(5000),
  internal_note: z.string().trim().max(5000).optional(),
  components: AffectedComponents,
})
const PatchInput = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    impact: z.enum(INCIDENT_IMPACTS).optional(),
    visibility: z.enum(['public', 'private']).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change')
const NotifyInput = z.object({ message: z.string().trim().min(1).max(2000) })
const ListQuery = z.object({
  project_id: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
})
const ComponentInput = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
})
const ComponentPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(500).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  status: z.enum(COMPONENT_STATUSES).optional(),
})
const MaintenanceInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    message: z.string().trim().max(5000).default(''),
    starts_at: z.iso.datetime({ offset: true }),
    ends_at: z.iso.datetime({ offset: true }),
    component_ids: z.array(z.string().max(64)).max(100).default([]),
  })
  .refine((v) => Date.parse(v.ends_at) > Date.parse(v.starts_at), {
    message: 'ends_at must be after starts_at',
    path: ['ends_at'],
  })
const TokenInput = z.object({ label: z.string().trim().max(100).default('') })

const componentJson = (c: Component): Out<typeof ComponentOut> => ({
  id: c.id,
  project_id: c.projectId,
  name: c.name,
  description: c.description,
  position: c.position,
  status: c.status,
  created_at: iso(c.createdAt)!,
})
const maintenanceJson = (m: MaintenanceView): Out<typeof MaintenanceOut> => ({
  id: m.id,
  project_id: m.projectId,
  title: m.title,
  message: m.message,
  starts_at: iso(m.startsAt)!,
  ends_at: iso(m.endsAt)!,
  phase: m.phase,
  components: m.components.map((c) => ({ id: c.id, name: c.name })),
  created_at: iso(m.createdAt)!,
  cancelled_at: iso(m.cancelledAt),
})
const learningJson = (
  l: Omit<IncidentLearning, 'timeline'> & { timeline?: IncidentLearning['timeline'] },
): Out<typeof LearningOut> => ({
  incident_id: l.incidentId,
  title: l.title,
  impact: l.impact,
  visibility: l.visibility,
  status: l.status,
  first_report_at: iso(l.firstReportAt),
  declared_at: iso(l.declaredAt)!,
  first_public_update_at: iso(l.firstPublicUpdateAt),
  resolved_at: iso(l.resolvedAt),
  time_to_detect_ms: l.timeToDetectMs,
  time_to_first_update_ms: l.timeToFirstUpdateMs,
  customer_impact_ms: l.customerImpactMs,
  reports: l.reports,
  reporters: l.reporters,
  affected_presses: l.affectedPresses,
  releases: l.releases,
  notices: l.notices,
  ...(l.timeline
    ? {
        timeline: l.timeline.map((t) => ({
          at: iso(t.at)!,
          kind: t.kind,
          status: t.status ?? null,
          text: t.text,
          internal_note: t.internalNote ?? null,
          author: t.author ?? null,
        })),
      }
    : {}),
})

/**
 * Incidents and everything around them in the dashboard: updates, components, maintenance,
 * subscribers, status-page tokens, learning. Viewing needs the viewer role, changing the
 * responder role; status-page settings the owner role.
 */
export function incidentRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  const affected = (list: z.infer<typeof AffectedComponents>) =>
    list?.map((c) => ({ componentId: c.component_id, status: c.status }))
  async function checkComponents(projectId: string, list: z.infer<typeof AffectedComponents>) {
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
    validate('query', ListQuery),
    async (c) => {
      const responder = c.get('responder')
      const q = c.req.valid('query')
      const projectIds = q.project_id
        ? [(await projectFor(deps, responder, q.project_id, 'viewer')).id]
        : (await Promise.all(workspaceIdsOf(responder).map((w) => listProjects(deps.db.orm, w))))
            .flat()
            .map((p) => p.id)
      const list = await listIncidents(deps.db.orm, projectIds, q.limit ?? 100)
      return c.json({
        incidents: list.map((i) => ({ ...incidentHeadJson(i), latest_update: updateJson(i.latest) })),
      } satisfies { incidents: Out<typeof IncidentSummaryOut>[] })
    },
  )

  app.post(
    '/incidents',
    incidentDoc('declareIncident', 'Declare an incident (from a cluster, or for a project)', '201', {
      '400': error('invalid_body, different_projects'),
    }),
    validate('json', DeclareInput),
    async (c) => {
      const input = c.req.valid('json')
      const responder = c.get('responder')
      let projectId = input.project_id
      if (input.cluster_id) {
        // A cluster the caller cannot see answers exactly like one that does not exist, whatever
        // project_id says: otherwise the answer would tell foreign ids from made-up ones.
        const cluster = await getCluster(deps.db.orm, input.cluster_id)
        if (!cluster || !(await canSee(responder, cluster.projectId)))
          throw new ApiError(404, 'not_found', 'Not found.')
        if (projectId && projectId !== cluster.projectId)
          throw new ApiError(400, 'different_projects', 'cluster_id belongs to another of your projects.')
        projectId = cluster.projectId
      }
      if (!projectId) throw new ApiError(400, 'invalid_body', 'project_id or cluster_id is required.')
      const project = await projectFor(deps, responder, projectId, 'responder')
      await checkComponents(project.id, input.components)
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
      return c.json({ incident: await incidentJson(incident.id) }, 201)
    },
  )

  /** Whether the caller is a member of the project's workspace (any role). */
  async function canSee(responder: ApiEnv['Variables']['responder'], projectId: string) {
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

  async function incidentFor(responder: ApiEnv['Variables']['responder'], id: string, role: 'viewer' | 'responder') {
    const incident = await getIncident(deps.db.orm, id)
    if (!incident) throw new ApiError(404, 'not_found', 'Not found.')
    const project = await projectFor(deps, responder, incident.projectId, role)
    return { incident, project }
  }

  async function incidentJson(id: string): Promise<Out<typeof IncidentOut>> {
    const i = (await getIncident(deps.db.orm, id))!
    const project = (await findProjectById(deps.db.orm, i.projectId))!
    return {
      ...incidentHeadJson(i),
      reports_since_resolved:
        i.status === 'resolved' && i.mayBeBackAt != null
          ? await reportsSinceResolved(deps.db.orm, i.id, i.updatedAt)
          : 0,
      updates: i.updates.map(updateJson),
      clusters: i.clusters.map((cl) => ({
        id: cl.id,
        title: cl.title,
        report_count: cl.reportCount,
        reporter_count: cl.reporterCount,
      })),
      components: i.components.map((x) => ({ id: x.componentId, name: x.name, status: x.status })),
      notices: await noticeCounts(deps.db.orm, i.id),
      status_page_url:
        i.visibility === 'public'
          ? `${await statusPageUrl(deps.db.orm, deps.config, project)}/incidents/${i.id}`
          : null,
    }
  }

  app.get(
    '/incidents/:id',
    incidentDoc('getIncident', 'One incident with its updates, clusters, components and notices', '200'),
    async (c) => {
      const { incident } = await incidentFor(c.get('responder'), c.req.param('id'), 'viewer')
      return c.json({ incident: await incidentJson(incident.id) })
    },
  )

  app.patch(
    '/incidents/:id',
    incidentDoc('updateIncidentDetails', 'Change title, impact or visibility', '200'),
    validate('json', PatchInput),
    async (c) => {
      const { incident } = await incidentFor(c.get('responder'), c.req.param('id'), 'responder')
      await setIncidentDetails(deps, incident.id, c.req.valid('json'))
      return c.json({ incident: await incidentJson(incident.id) })
    },
  )

  app.post(
    '/incidents/:id/updates',
    incidentDoc(
      'postIncidentUpdate',
      'Post an update (status, public message, internal note, component changes); fans out to subscribers, webhooks and reporters',
      '201',
      { '400': error('invalid_body') },
    ),
    validate('json', UpdateInput),
    async (c) => {
      const responder = c.get('responder')
      const { incident } = await incidentFor(responder, c.req.param('id'), 'responder')
      const input = c.req.valid('json')
      await checkComponents(incident.projectId, input.components)
      await postUpdate(deps, incident.id, {
        status: input.status,
        message: input.message,
        internalNote: input.internal_note,
        authorId: responder.id,
        components: affected(input.components),
      })
      return c.json({ incident: await incidentJson(incident.id) }, 201)
    },
  )

  // A message to everyone affected: the people who reported it (in-app notice + e-mail if they left one).
  /** "It is not back": the may-be-back mark goes (reopening is an update with a new status). */
  app.post(
    '/incidents/:id/recurrence/dismiss',
    incidentDoc(
      'dismissRecurrence',
      'Dismiss the "may be back" mark of a resolved incident (reopening is an update with a new status)',
      '200',
    ),
    async (c) => {
      const { incident } = await incidentFor(c.get('responder'), c.req.param('id'), 'responder')
      await dismissRecurrence(deps, incident.id)
      return c.json({ incident: await incidentJson(incident.id) })
    },
  )

  app.post(
    '/incidents/:id/notify-affected',
    describe({
      id: 'notifyAffected',
      tag: 'incidents',
      auth: 'session',
      summary: 'Send a message to everyone who reported the incident (in-app notice, e-mail if they left one)',
      responses: { '202': json(NotifiedOut, 'Queued'), '404': error('not_found') },
    }),
    validate('json', NotifyInput),
    async (c) => {
      const responder = c.get('responder')
      const { incident, project } = await incidentFor(responder, c.req.param('id'), 'responder')
      const { message } = c.req.valid('json')
      const sent = await notifyAffected(deps, project, incident, message)
      // `email_configured: false` → the e-mails are queued, not sent (the dashboard says so).
      return c.json(
        { notices: sent.notices, emails: sent.emails, email_configured: canSendEmail(deps) } satisfies Out<
          typeof NotifiedOut
        >,
        202,
      )
    },
  )

  app.get(
    '/incidents/:id/learning',
    describe({
      id: 'getIncidentLearning',
      tag: 'incidents',
      auth: 'session',
      summary: 'What one incident teaches: detection and update times, reach, timeline',
      responses: {
        '200': json(z.object({ learning: LearningOut }).meta({ id: 'IncidentLearningAnswer' }), 'Learning'),
        '404': error('not_found'),
      },
    }),
    async (c) => {
      const { incident } = await incidentFor(c.get('responder'), c.req.param('id'), 'viewer')
      return c.json({ learning: learningJson((await incidentLearning(deps.db.orm, incident.id))!) })
    },
  )

  app.get(
    '/incidents/:id/export.md',
    describe({
      id: 'exportIncidentMarkdown',
      tag: 'incidents',
      auth: 'session',
      summary: 'The incident’s learning as a Markdown post-mortem draft (a download)',
      responses: {
        '200': { description: 'Markdown', content: { 'text/markdown': { schema: { type: 'string' } } } },
        '404': error('not_found'),
      },
    }),
    async (c) => {
      const { incident, project } = await incidentFor(c.get('responder'), c.req.param('id'), 'viewer')
      const md = learningMarkdown((await incidentLearning(deps.db.orm, incident.id))!, project.name)
      const file = `incident-${incident.createdAt ? new Date(incident.createdAt).toISOString().slice(0, 10) : ''}-${incident.id}.md`
      return c.body(md, 200, {
        'Content-Type': 'text/markdown; charset=utf-8',
        'Content-Disposition': `attachment; filename="${file}"`,
      })
    },
  )

  // ---- per project: learning, components, maintenance, subscribers, status page -------------

  const projectOf = (c: Context<ApiEnv>, role: 'viewer' | 'responder' | 'owner') =>
    projectFor(deps, c.get('responder'), c.req.param('id')!, role)

  app.get(
    '/projects/:id/learning',
    describe({
      id: 'getProjectLearning',
      tag: 'incidents',
      auth: 'session',
      summary: 'Learning across a project’s incidents: medians and one row per incident',
      responses: { '200': json(ProjectLearningOut, 'Learning'), '404': error('not_found') },
    }),
    async (c) => {
      const project = await projectOf(c, 'viewer')
      const l = await projectLearning(deps.db.orm, project.id)
      return c.json({
        learning: {
          incidents: l.incidents,
          customer_reported: l.customerReported,
          median_time_to_detect_ms: l.medianTimeToDetectMs,
          median_time_to_first_update_ms: l.medianTimeToFirstUpdateMs,
          median_customer_impact_ms: l.medianCustomerImpactMs,
          reports: l.reports,
          reporters: l.reporters,
          rows: l.rows.map(learningJson),
        },
      } satisfies Out<typeof ProjectLearningOut>)
    },
  )

  app.get(
    '/projects/:id/components',
    adminDoc('listComponents', 'A project’s status-page components', {
      '200': json(z.object({ components: z.array(ComponentOut) }).meta({ id: 'ComponentList' }), 'Components'),
    }),
    async (c) => {
      const project = await projectOf(c, 'viewer')
      return c.json({ components: (await listComponents(deps.db.orm, project.id)).map(componentJson) })
    },
  )
  app.post(
    '/projects/:id/components',
    adminDoc('createComponent', 'Add a component', {
      '201': json(z.object({ component: ComponentOut }).meta({ id: 'ComponentAnswer' }), 'Added'),
    }),
    validate('json', ComponentInput),
    async (c) => {
      const project = await projectOf(c, 'responder')
      const component = await createComponent(deps, project.id, c.req.valid('json'))
      return c.json({ component: componentJson(component) }, 201)
    },
  )
  async function componentOf(c: Context<ApiEnv>) {
    const project = await projectOf(c, 'responder')
    const component = await getComponent(deps.db.orm, project.id, c.req.param('componentId')!)
    if (!component) throw new ApiError(404, 'not_found', 'Not found.')
    return { project, component }
  }
  app.patch(
    '/projects/:id/components/:componentId',
    adminDoc('updateComponent', 'Rename, describe, reorder a component or set its baseline status', {
      '200': json(z.object({ component: ComponentOut }), 'Changed'),
    }),
    validate('json', ComponentPatch),
    async (c) => {
      const { project, component } = await componentOf(c)
      await updateComponent(deps, project.id, component.id, c.req.valid('json'))
      return c.json({ component: componentJson((await getComponent(deps.db.orm, project.id, component.id))!) })
    },
  )
  app.delete(
    '/projects/:id/components/:componentId',
    adminDoc('deleteComponent', 'Remove a component', { '204': noContent('Removed') }),
    async (c) => {
      const { project, component } = await componentOf(c)
      await deleteComponent(deps, project.id, component.id)
      return c.body(null, 204)
    },
  )

  app.get(
    '/projects/:id/maintenances',
    adminDoc('listMaintenances', 'Maintenance windows of the last 90 days and to come', {
      '200': json(z.object({ maintenances: z.array(MaintenanceOut) }).meta({ id: 'MaintenanceList' }), 'Windows'),
    }),
    async (c) => {
      const project = await projectOf(c, 'viewer')
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
      const project = await projectOf(c, 'responder')
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
      const project = await projectOf(c, 'responder')
      const row = await getMaintenance(deps.db.orm, c.req.param('maintenanceId'))
      if (!row || row.projectId !== project.id) throw new ApiError(404, 'not_found', 'Not found.')
      await cancelMaintenance(deps, project.id, row.id)
      return c.body(null, 204)
    },
  )

  app.get(
    '/projects/:id/subscribers',
    adminDoc('listSubscribers', 'E-mail subscribers of the status page', {
      '200': json(z.object({ subscribers: z.array(SubscriberOut) }).meta({ id: 'SubscriberList' }), 'Subscribers'),
    }),
    async (c) => {
      const project = await projectOf(c, 'responder')
      const list = await listSubscribers(deps.db.orm, project.id)
      return c.json({
        subscribers: list.map((s) => ({
          id: s.id,
          email: s.target,
          state: s.unsubscribedAt != null ? 'unsubscribed' : s.confirmedAt != null ? 'confirmed' : 'pending',
          component_ids: s.componentIds,
          created_at: iso(s.createdAt)!,
          confirmed_at: iso(s.confirmedAt),
        })),
      } satisfies { subscribers: Out<typeof SubscriberOut>[] })
    },
  )
  app.delete(
    '/projects/:id/subscribers/:subscriberId',
    adminDoc('removeSubscriber', 'Remove a subscriber', { '204': noContent('Removed') }),
    async (c) => {
      const project = await projectOf(c, 'responder')
      await removeSubscriber(deps, project.id, c.req.param('subscriberId'))
      return c.body(null, 204)
    },
  )

  // Private-view tokens of the status page (its addresses and custom domain: status-page.ts).
  app.get(
    '/projects/:id/status-tokens',
    adminDoc('listStatusTokens', 'Tokens that open the private status page (owners)', {
      '200': json(
        z.object({ tokens: z.array(StatusTokenOut) }).meta({ id: 'StatusTokenList' }),
        'Tokens (never their secrets)',
      ),
    }),
    async (c) => {
      const project = await projectOf(c, 'owner')
      const list = await listStatusTokens(deps.db.orm, project.id)
      return c.json({
        tokens: list.map((t) => ({
          id: t.id,
          label: t.label,
          created_at: iso(t.createdAt)!,
          revoked_at: iso(t.revokedAt),
        })),
      } satisfies { tokens: Out<typeof StatusTokenOut>[] })
    },
  )
  app.post(
    '/projects/:id/status-tokens',
    adminDoc('createStatusToken', 'Make a private-view token (owners)', {
      '201': json(StatusTokenCreated, 'Made; the secret is shown once'),
    }),
    validate('json', TokenInput),
    async (c) => {
      const project = await projectOf(c, 'owner')
      const t = await createStatusToken(deps, project.id, c.req.valid('json').label)
      const url = `${await statusPageUrl(deps.db.orm, deps.config, project)}?token=${t.token}`
      return c.json(
        {
          token: { id: t.id, label: t.label, created_at: iso(t.createdAt)!, revoked_at: null },
          secret: t.token,
          private_url: url,
        } satisfies Out<typeof StatusTokenCreated>,
        201,
      )
    },
  )
  app.delete(
    '/projects/:id/status-tokens/:tokenId',
    adminDoc('revokeStatusToken', 'Revoke a private-view token (owners)', { '204': noContent('Revoked') }),
    async (c) => {
      const project = await projectOf(c, 'owner')
      await revokeStatusToken(deps, project.id, c.req.param('tokenId'))
      return c.body(null, 204)
    },
  )

  return app
}
