import { z } from 'zod'
import type { Out } from '../../http/schemas.js'
import type { Component, ShownComponentStatus } from '../../domain/incidents/index.js'
import type { MaintenanceView } from '../../domain/incidents/index.js'
import type { PublicIncidentView, StatusView } from '../../domain/incidents/index.js'

// Atlassian Statuspage's public API (v2) shapes, so existing status clients and widgets can read
// Earshot: summary, status, components, incidents (+ unresolved) and scheduled maintenances (+
// upcoming, active). Every field Statuspage has is present, null where Earshot has no such thing
// (component groups, tweets). Only public fields are ever put in (the view holds no internal
// notes or authors). test/status/statuspage-api.test.ts holds the documented shapes.

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString())
const at = (ms: number) => new Date(ms).toISOString()

// The shapes, as /openapi.json describes them; every builder below returns one of these.
const SpPage = z
  .object({ id: z.string(), name: z.string(), url: z.string(), time_zone: z.string(), updated_at: z.string() })
  .meta({ id: 'StatuspagePage' })
const SHOWN = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const
const SpComponent = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(SHOWN),
    created_at: z.string(),
    updated_at: z.string(),
    position: z.number(),
    description: z.string().nullable(),
    showcase: z.boolean(),
    start_date: z.null(),
    group_id: z.null(),
    page_id: z.string(),
    group: z.boolean(),
    only_show_if_degraded: z.boolean(),
  })
  .meta({ id: 'StatuspageComponent' })
const SpUpdate = z
  .object({
    id: z.string(),
    status: z.string(),
    body: z.string(),
    incident_id: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    display_at: z.string(),
    affected_components: z
      .array(z.object({ code: z.string(), name: z.string(), old_status: z.enum(SHOWN), new_status: z.enum(SHOWN) }))
      .nullable(),
    deliver_notifications: z.boolean(),
    custom_tweet: z.null(),
    tweet_id: z.null(),
  })
  .meta({ id: 'StatuspageIncidentUpdate' })
const SpIncident = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    monitoring_at: z.string().nullable(),
    resolved_at: z.string().nullable(),
    impact: z.string(),
    shortlink: z.string(),
    started_at: z.string(),
    page_id: z.string(),
    incident_updates: z.array(SpUpdate),
    components: z.array(SpComponent),
  })
  .meta({ id: 'StatuspageIncident' })
const SpMaintenance = SpIncident.extend({ scheduled_for: z.string(), scheduled_until: z.string() }).meta({
  id: 'StatuspageScheduledMaintenance',
})
const SpStatus = z.object({
  indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  description: z.string(),
})

/** What each endpoint answers, for /openapi.json (`describe` in routes/status/pages.ts). */
export const STATUSPAGE_SCHEMAS = {
  'summary.json': {
    id: 'statuspageSummary',
    summary: 'The page, its components, unresolved incidents, upcoming and running maintenance, the indicator',
    schema: z
      .object({
        page: SpPage,
        components: z.array(SpComponent),
        incidents: z.array(SpIncident),
        scheduled_maintenances: z.array(SpMaintenance),
        status: SpStatus,
      })
      .meta({ id: 'StatuspageSummary' }),
  },
  'status.json': {
    id: 'statuspageStatus',
    summary: 'The page indicator',
    schema: z.object({ page: SpPage, status: SpStatus }).meta({ id: 'StatuspageStatus' }),
  },
  'components.json': {
    id: 'statuspageComponents',
    summary: 'Components with their current status',
    schema: z.object({ page: SpPage, components: z.array(SpComponent) }).meta({ id: 'StatuspageComponents' }),
  },
  'incidents.json': {
    id: 'statuspageIncidents',
    summary: 'The 50 most recent incidents, unresolved and resolved',
    schema: z.object({ page: SpPage, incidents: z.array(SpIncident) }).meta({ id: 'StatuspageIncidents' }),
  },
  'incidents/unresolved.json': {
    id: 'statuspageUnresolvedIncidents',
    summary: 'Unresolved incidents',
    schema: z.object({ page: SpPage, incidents: z.array(SpIncident) }),
  },
  'scheduled-maintenances.json': {
    id: 'statuspageMaintenances',
    summary: 'The 50 most recent maintenances: upcoming, in progress and completed',
    schema: z
      .object({ page: SpPage, scheduled_maintenances: z.array(SpMaintenance) })
      .meta({ id: 'StatuspageMaintenances' }),
  },
  'scheduled-maintenances/upcoming.json': {
    id: 'statuspageUpcomingMaintenances',
    summary: 'Upcoming maintenances',
    schema: z.object({ page: SpPage, scheduled_maintenances: z.array(SpMaintenance) }),
  },
  'scheduled-maintenances/active.json': {
    id: 'statuspageActiveMaintenances',
    summary: 'Maintenances in progress',
    schema: z.object({ page: SpPage, scheduled_maintenances: z.array(SpMaintenance) }),
  },
} as const satisfies Record<string, { id: string; summary: string; schema: z.ZodType }>
type Shape<K extends keyof typeof STATUSPAGE_SCHEMAS> = Out<(typeof STATUSPAGE_SCHEMAS)[K]['schema']>

/** Statuspage lists at most 50 incidents / maintenances in its "all" endpoints. */
const RECENT = 50

function pageJson(view: StatusView, pageUrl: string): Out<typeof SpPage> {
  const p = view.project
  return { id: p.id, name: p.name, url: pageUrl, time_zone: 'Etc/UTC', updated_at: at(view.updatedAt) }
}

/** One component object, the same everywhere it appears (the page's list, inside incidents and maintenances). */
function componentJson(view: StatusView, c: Component): Out<typeof SpComponent> {
  // The status customers see now: the live component's shown status, or a removed one's baseline.
  const shown: ShownComponentStatus = view.components.find((live) => live.id === c.id)?.shown ?? c.status
  return {
    id: c.id,
    name: c.name,
    status: shown,
    created_at: at(c.createdAt),
    updated_at: at(view.updatedAt),
    position: c.position,
    description: c.description || null,
    showcase: true,
    start_date: null,
    group_id: null,
    page_id: c.projectId,
    group: false,
    only_show_if_degraded: false,
  }
}

interface UpdateFields {
  id: string
  status: string
  body: string
  parentId: string
  at: number
  changes: { component: Component; oldStatus: ShownComponentStatus; newStatus: ShownComponentStatus }[]
}

function updateJson(u: UpdateFields): Out<typeof SpUpdate> {
  return {
    id: u.id,
    status: u.status,
    body: u.body,
    incident_id: u.parentId,
    created_at: at(u.at),
    updated_at: at(u.at),
    display_at: at(u.at),
    // Statuspage's `code` is the component's id; null when the update changed no component.
    affected_components: u.changes.length
      ? u.changes.map((c) => ({
          code: c.component.id,
          name: c.component.name,
          old_status: c.oldStatus,
          new_status: c.newStatus,
        }))
      : null,
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  }
}

function incidentJson(view: StatusView, pageUrl: string, i: PublicIncidentView): Out<typeof SpIncident> {
  return {
    id: i.id,
    name: i.title,
    status: i.status,
    created_at: at(i.createdAt),
    updated_at: at(i.updatedAt),
    monitoring_at: iso(i.monitoringAt),
    resolved_at: iso(i.resolvedAt),
    impact: i.impact,
    shortlink: `${pageUrl}/incidents/${i.id}`,
    started_at: at(i.createdAt),
    page_id: view.project.id,
    incident_updates: i.updates.map((u) =>
      updateJson({
        id: u.id,
        status: u.status,
        body: u.message,
        parentId: i.id,
        at: u.createdAt,
        changes: u.componentChanges,
      }),
    ),
    components: i.components.map((c) => componentJson(view, c.component)),
  }
}

/**
 * A maintenance window's updates, newest first. Earshot derives the phase from the window, so the
 * "in progress" and "completed" updates Statuspage would post are derived the same way (stable ids).
 */
function maintenanceUpdates(m: MaintenanceView): UpdateFields[] {
  const comps = m.components.map((c) => c.component)
  const updates: UpdateFields[] = [
    {
      id: `${m.id}_scheduled`,
      status: 'scheduled',
      body: m.message || `${m.title} is scheduled.`,
      parentId: m.id,
      at: m.createdAt,
      changes: [],
    },
  ]
  if (m.phase === 'in_progress' || m.phase === 'completed') {
    const changes = comps.map((c) => ({ component: c, oldStatus: c.status, newStatus: 'under_maintenance' as const }))
    updates.push({
      id: `${m.id}_in_progress`,
      status: 'in_progress',
      body: 'Scheduled maintenance is currently in progress.',
      parentId: m.id,
      at: m.startsAt,
      changes,
    })
  }
  if (m.phase === 'completed') {
    const changes = comps.map((c) => ({ component: c, oldStatus: 'under_maintenance' as const, newStatus: c.status }))
    updates.push({
      id: `${m.id}_completed`,
      status: 'completed',
      body: 'The scheduled maintenance has been completed.',
      parentId: m.id,
      at: m.endsAt,
      changes,
    })
  }
  return updates.reverse()
}

function maintenanceJson(view: StatusView, pageUrl: string, m: MaintenanceView): Out<typeof SpMaintenance> {
  const updates = maintenanceUpdates(m)
  return {
    id: m.id,
    name: m.title,
    status: m.phase,
    created_at: at(m.createdAt),
    updated_at: at(updates[0]!.at),
    monitoring_at: null,
    resolved_at: m.phase === 'completed' ? iso(m.endsAt) : null,
    impact: 'maintenance',
    shortlink: `${pageUrl}#${m.id}`,
    started_at: at(m.startsAt),
    page_id: view.project.id,
    incident_updates: updates.map(updateJson),
    components: m.components.map((c) => componentJson(view, c.component)),
    scheduled_for: at(m.startsAt),
    scheduled_until: at(m.endsAt),
  }
}

const newestFirst = <T extends { created_at: string }>(list: T[]) =>
  list.sort((a, b) => (a.created_at! < b.created_at! ? 1 : a.created_at! > b.created_at! ? -1 : 0))

/**
 * `/api/v2/summary.json`: the page, its components, unresolved incidents, upcoming and running
 * maintenance, the indicator.
 */
export function summaryJson(view: StatusView, pageUrl: string): Shape<'summary.json'> {
  return {
    page: pageJson(view, pageUrl),
    components: view.components.map((c) => componentJson(view, c)),
    incidents: view.active.map((i) => incidentJson(view, pageUrl, i)),
    scheduled_maintenances: [...view.maintenances.inProgress, ...view.maintenances.scheduled].map((m) =>
      maintenanceJson(view, pageUrl, m),
    ),
    status: statusJson(view),
  }
}

function statusJson(view: StatusView): Out<typeof SpStatus> {
  return { indicator: view.indicator, description: view.description }
}

/** The other endpoints, each the part of the data Statuspage's endpoint of that name holds. */
export const statuspageApi: {
  [K in keyof typeof STATUSPAGE_SCHEMAS]: (view: StatusView, pageUrl: string) => Shape<K>
} = {
  'summary.json': summaryJson,
  'status.json': (v, url) => ({ page: pageJson(v, url), status: statusJson(v) }),
  'components.json': (v, url) => ({ page: pageJson(v, url), components: v.components.map((c) => componentJson(v, c)) }),
  // The 50 most recent incidents, unresolved and resolved.
  'incidents.json': (v, url) => ({
    page: pageJson(v, url),
    incidents: newestFirst([...v.active, ...v.history].map((i) => incidentJson(v, url, i))).slice(0, RECENT),
  }),
  'incidents/unresolved.json': (v, url) => ({
    page: pageJson(v, url),
    incidents: v.active.map((i) => incidentJson(v, url, i)),
  }),
  // The 50 most recent maintenances: upcoming, in progress and completed.
  'scheduled-maintenances.json': (v, url) => ({
    page: pageJson(v, url),
    scheduled_maintenances: [...v.maintenances.scheduled, ...v.maintenances.inProgress, ...v.maintenances.completed]
      .sort((a, b) => b.startsAt - a.startsAt)
      .slice(0, RECENT)
      .map((m) => maintenanceJson(v, url, m)),
  }),
  'scheduled-maintenances/upcoming.json': (v, url) => ({
    page: pageJson(v, url),
    scheduled_maintenances: v.maintenances.scheduled.map((m) => maintenanceJson(v, url, m)),
  }),
  // In progress (Statuspage's "verifying" has no Earshot counterpart: a window ends by itself).
  'scheduled-maintenances/active.json': (v, url) => ({
    page: pageJson(v, url),
    scheduled_maintenances: v.maintenances.inProgress.map((m) => maintenanceJson(v, url, m)),
  }),
}
