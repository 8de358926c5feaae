import type { Component, ShownComponentStatus } from '../../domain/status/components.js'
import type { MaintenanceView } from '../../domain/status/maintenance.js'
import type { PublicIncidentView, StatusView } from '../../domain/status/page.js'

// Atlassian Statuspage's public API (v2) shapes, so existing status clients and widgets can read
// Earshot: summary, status, components, incidents (+ unresolved) and scheduled maintenances (+
// upcoming, active). Every field Statuspage has is present, null where Earshot has no such thing
// (component groups, tweets). Only public fields are ever put in (the view holds no internal
// notes or authors). test/status/statuspage-api.test.ts holds the documented shapes.

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString())

/** Statuspage lists at most 50 incidents / maintenances in its "all" endpoints. */
const RECENT = 50

type Page = ReturnType<typeof pageJson>

function pageJson(view: StatusView, pageUrl: string) {
  const p = view.project
  return { id: p.id, name: p.name, url: pageUrl, time_zone: 'Etc/UTC', updated_at: iso(view.updatedAt) }
}

/** One component object, the same everywhere it appears (the page's list, inside incidents and maintenances). */
function componentJson(view: StatusView, c: Component) {
  // The status customers see now: the live component's shown status, or a removed one's baseline.
  const shown: ShownComponentStatus = view.components.find((live) => live.id === c.id)?.shown ?? c.status
  return {
    id: c.id,
    name: c.name,
    status: shown,
    created_at: iso(c.createdAt),
    updated_at: iso(view.updatedAt),
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

function updateJson(u: UpdateFields) {
  return {
    id: u.id,
    status: u.status,
    body: u.body,
    incident_id: u.parentId,
    created_at: iso(u.at),
    updated_at: iso(u.at),
    display_at: iso(u.at),
    // Statuspage's `code` is the component's id; null when the update changed no component.
    affected_components: u.changes.length ? u.changes.map((c) => ({ code: c.component.id, name: c.component.name, old_status: c.oldStatus, new_status: c.newStatus })) : null,
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  }
}

function incidentJson(view: StatusView, pageUrl: string, i: PublicIncidentView) {
  return {
    id: i.id,
    name: i.title,
    status: i.status,
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    monitoring_at: iso(i.monitoringAt),
    resolved_at: iso(i.resolvedAt),
    impact: i.impact,
    shortlink: `${pageUrl}/incidents/${i.id}`,
    started_at: iso(i.createdAt),
    page_id: view.project.id,
    incident_updates: i.updates.map((u) =>
      updateJson({ id: u.id, status: u.status, body: u.message, parentId: i.id, at: u.createdAt, changes: u.componentChanges }),
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
    { id: `${m.id}_scheduled`, status: 'scheduled', body: m.message || `${m.title} is scheduled.`, parentId: m.id, at: m.createdAt, changes: [] },
  ]
  if (m.phase === 'in_progress' || m.phase === 'completed') {
    const changes = comps.map((c) => ({ component: c, oldStatus: c.status, newStatus: 'under_maintenance' as const }))
    updates.push({ id: `${m.id}_in_progress`, status: 'in_progress', body: 'Scheduled maintenance is currently in progress.', parentId: m.id, at: m.startsAt, changes })
  }
  if (m.phase === 'completed') {
    const changes = comps.map((c) => ({ component: c, oldStatus: 'under_maintenance' as const, newStatus: c.status }))
    updates.push({ id: `${m.id}_completed`, status: 'completed', body: 'The scheduled maintenance has been completed.', parentId: m.id, at: m.endsAt, changes })
  }
  return updates.reverse()
}

function maintenanceJson(view: StatusView, pageUrl: string, m: MaintenanceView) {
  const updates = maintenanceUpdates(m)
  return {
    id: m.id,
    name: m.title,
    status: m.phase,
    created_at: iso(m.createdAt),
    updated_at: iso(updates[0]!.at),
    monitoring_at: null,
    resolved_at: m.phase === 'completed' ? iso(m.endsAt) : null,
    impact: 'maintenance',
    shortlink: `${pageUrl}#${m.id}`,
    started_at: iso(m.startsAt),
    page_id: view.project.id,
    incident_updates: updates.map(updateJson),
    components: m.components.map((c) => componentJson(view, c.component)),
    scheduled_for: iso(m.startsAt),
    scheduled_until: iso(m.endsAt),
  }
}

const newestFirst = <T extends { created_at: string | null }>(list: T[]) => list.sort((a, b) => (a.created_at! < b.created_at! ? 1 : a.created_at! > b.created_at! ? -1 : 0))

/** `/api/v2/summary.json`: the page, its components, unresolved incidents, upcoming and running maintenance, the indicator. */
export function summaryJson(view: StatusView, pageUrl: string) {
  return {
    page: pageJson(view, pageUrl),
    components: view.components.map((c) => componentJson(view, c)),
    incidents: view.active.map((i) => incidentJson(view, pageUrl, i)),
    scheduled_maintenances: [...view.maintenances.inProgress, ...view.maintenances.scheduled].map((m) => maintenanceJson(view, pageUrl, m)),
    status: statusJson(view),
  }
}

function statusJson(view: StatusView) {
  return { indicator: view.indicator, description: view.description }
}

/** The other endpoints, each the part of the data Statuspage's endpoint of that name holds. */
export const statuspageApi: Record<string, (view: StatusView, pageUrl: string) => { page: Page } & Record<string, unknown>> = {
  'summary.json': summaryJson,
  'status.json': (v, url) => ({ page: pageJson(v, url), status: statusJson(v) }),
  'components.json': (v, url) => ({ page: pageJson(v, url), components: v.components.map((c) => componentJson(v, c)) }),
  // The 50 most recent incidents, unresolved and resolved.
  'incidents.json': (v, url) => ({ page: pageJson(v, url), incidents: newestFirst([...v.active, ...v.history].map((i) => incidentJson(v, url, i))).slice(0, RECENT) }),
  'incidents/unresolved.json': (v, url) => ({ page: pageJson(v, url), incidents: v.active.map((i) => incidentJson(v, url, i)) }),
  // The 50 most recent maintenances: upcoming, in progress and completed.
  'scheduled-maintenances.json': (v, url) => ({
    page: pageJson(v, url),
    scheduled_maintenances: [...v.maintenances.scheduled, ...v.maintenances.inProgress, ...v.maintenances.completed]
      .sort((a, b) => b.startsAt - a.startsAt)
      .slice(0, RECENT)
      .map((m) => maintenanceJson(v, url, m)),
  }),
  'scheduled-maintenances/upcoming.json': (v, url) => ({ page: pageJson(v, url), scheduled_maintenances: v.maintenances.scheduled.map((m) => maintenanceJson(v, url, m)) }),
  // In progress (Statuspage's "verifying" has no Earshot counterpart: a window ends by itself).
  'scheduled-maintenances/active.json': (v, url) => ({ page: pageJson(v, url), scheduled_maintenances: v.maintenances.inProgress.map((m) => maintenanceJson(v, url, m)) }),
}
