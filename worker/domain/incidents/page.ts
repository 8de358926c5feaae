import type { Reader } from '../../db/client.js'
import type { ComponentStatus, IncidentImpact } from '../../db/schema/index.js'
import { getIncident, listIncidentsSince, type IncidentUpdate, type IncidentWithLatest } from './incidents.js'
import type { Project } from '../projects/index.js'
import {
  componentChangesOfUpdates,
  componentsOfIncidents,
  listComponents,
  worstStatus,
  type Component,
  type ComponentChange,
  type IncidentComponent,
  type ShownComponentStatus,
} from './components.js'
import { listMaintenances, type MaintenanceView } from './maintenance.js'

export const HISTORY_DAYS = 90
const DAY = 86_400_000

/** A public-facing incident: only what may leave the dashboard (no internal notes, no authors). */
export interface PublicIncidentView {
  id: string
  title: string
  impact: IncidentImpact
  status: IncidentWithLatest['status']
  createdAt: number
  updatedAt: number
  resolvedAt: number | null
  monitoringAt: number | null
  /** `componentChanges`: what the update changed about components (Statuspage's affected_components). */
  updates: {
    id: string
    status: IncidentUpdate['status']
    message: string
    createdAt: number
    componentChanges: (ComponentChange & { component: Component })[]
  }[]
  /** `status`: how badly this incident hits the component; `component`: the component itself. */
  components: { id: string; name: string; status: ComponentStatus; component: Component }[]
}

export interface DayBar {
  /** UTC midnight of the day. */
  day: number
  /** `no_data` for days before the component (or page) existed. */
  status: ShownComponentStatus | 'no_data'
  incidents: { id: string; title: string }[]
}

export interface ComponentView extends Component {
  shown: ShownComponentStatus
  days: DayBar[]
  uptime: number
}

export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance'

export interface StatusView {
  project: Project
  now: number
  indicator: Indicator
  description: string
  components: ComponentView[]
  /** The whole page's 90-day bar, used when the project has no components. */
  overall: { days: DayBar[]; uptime: number }
  active: PublicIncidentView[]
  history: PublicIncidentView[]
  maintenances: { inProgress: MaintenanceView[]; scheduled: MaintenanceView[]; completed: MaintenanceView[] }
  updatedAt: number
}

const IMPACT_TO_STATUS: Record<IncidentImpact, ComponentStatus> = {
  none: 'operational',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
}
const STATUS_TO_INDICATOR: Record<ShownComponentStatus, Indicator> = {
  operational: 'none',
  under_maintenance: 'maintenance',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
}
const INDICATOR_RANK: Record<Indicator, number> = { none: 0, maintenance: 1, minor: 2, major: 3, critical: 4 }
export const INDICATOR_TEXT: Record<Indicator, string> = {
  none: 'All Systems Operational',
  maintenance: 'Service Under Maintenance',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
}

export const utcDay = (ms: number) => Math.floor(ms / DAY) * DAY

type ChangesByUpdate = Awaited<ReturnType<typeof componentChangesOfUpdates>>

function toPublic(
  incident: IncidentWithLatest,
  updates: IncidentUpdate[],
  comps: IncidentComponent[],
  changes: ChangesByUpdate,
): PublicIncidentView {
  const resolved = incident.status === 'resolved' ? incident.updatedAt : null
  const monitoring = updates.filter((u) => u.status === 'monitoring').at(-1)?.createdAt ?? null
  return {
    id: incident.id,
    title: incident.title,
    impact: incident.impact,
    status: incident.status,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
    resolvedAt: resolved,
    monitoringAt: monitoring,
    updates: updates.map((u) => ({
      id: u.id,
      status: u.status,
      message: u.message,
      createdAt: u.createdAt,
      componentChanges: changes.get(u.id) ?? [],
    })),
    components: comps.map((c) => ({ id: c.componentId, name: c.name, status: c.status, component: c.component })),
  }
}

/** Loads public incidents (and private ones when the viewer holds a status token) since `since`. */
export async function loadIncidents(
  db: Reader,
  projectId: string,
  since: number,
  includePrivate: boolean,
): Promise<PublicIncidentView[]> {
  const list = await listIncidentsSince(db, projectId, since, { includePrivate })
  const [comps, changes] = await Promise.all([
    componentsOfIncidents(
      db,
      list.map((i) => i.id),
    ),
    componentChangesOfUpdates(
      db,
      list.flatMap((i) => i.updates.map((u) => u.id)),
    ),
  ])
  return list.map((i) => toPublic(i, i.updates, comps.get(i.id) ?? [], changes))
}

/** Everything a status page (HTML, summary.json, feeds) shows, computed once per request. */
export async function loadStatusView(
  db: Reader,
  project: Project,
  now: number,
  opts: { includePrivate: boolean },
): Promise<StatusView> {
  const since = utcDay(now) - (HISTORY_DAYS - 1) * DAY
  const [incidents, comps, maint] = await Promise.all([
    loadIncidents(db, project.id, since, opts.includePrivate),
    listComponents(db, project.id),
    listMaintenances(db, project.id, since, now),
  ])
  const active = incidents.filter((i) => i.status !== 'resolved')
  const history = incidents.filter((i) => i.status === 'resolved')
  const inProgress = maint.filter((m) => m.phase === 'in_progress')

  const components: ComponentView[] = comps.map((c) => {
    const hits = active.flatMap((i) => i.components.filter((ic) => ic.id === c.id).map((ic) => ic.status))
    const maintaining = inProgress.some((m) => m.components.some((mc) => mc.id === c.id))
    const shown = worstStatus([c.status, ...hits, ...(maintaining ? (['under_maintenance'] as const) : [])])
    const mine = incidents.filter((i) => i.components.some((ic) => ic.id === c.id))
    const windows = maint.filter((m) => m.phase !== 'scheduled' && m.components.some((mc) => mc.id === c.id))
    const bars = dayBars(
      mine,
      windows,
      since,
      now,
      c.createdAt,
      (i) => i.components.find((ic) => ic.id === c.id)!.status,
    )
    return { ...c, shown, days: bars.days, uptime: bars.uptime }
  })
  const overall = dayBars(
    incidents,
    maint.filter((m) => m.phase !== 'scheduled'),
    since,
    now,
    project.createdAt,
    (i) => IMPACT_TO_STATUS[i.impact],
  )

  let indicator: Indicator = 'none'
  const raise = (next: Indicator) => {
    if (INDICATOR_RANK[next] > INDICATOR_RANK[indicator]) indicator = next
  }
  for (const c of components) raise(STATUS_TO_INDICATOR[c.shown])
  // With components, the headline follows what the responder marked on them (raised above by
  // each component's shown status): an active incident alone adds "minor", so one that marks none
  // never puts "Major Service Outage" above all-green components. Without components, the
  // incident's impact is all there is to go by.
  for (const i of active) raise(components.length ? 'minor' : i.impact === 'none' ? 'minor' : i.impact)
  if (inProgress.length) raise('maintenance')

  const updatedAt = Math.max(project.createdAt, ...incidents.map((i) => i.updatedAt), ...maint.map((m) => m.createdAt))
  return {
    project,
    now,
    indicator,
    description: INDICATOR_TEXT[indicator],
    components,
    overall,
    active,
    history,
    maintenances: {
      inProgress,
      scheduled: maint.filter((m) => m.phase === 'scheduled'),
      completed: maint.filter((m) => m.phase === 'completed'),
    },
    updatedAt,
  }
}

/**
 * One bar per UTC day: the worst status any incident gave it that day. Uptime counts a major
 * outage fully and a partial outage at 30% (as Statuspage does); degraded time counts as up.
 */
function dayBars(
  incidents: PublicIncidentView[],
  windows: MaintenanceView[],
  since: number,
  now: number,
  existsSince: number,
  statusOf: (i: PublicIncidentView) => ShownComponentStatus,
) {
  const days: DayBar[] = []
  for (let d = since; d <= utcDay(now); d += DAY)
    days.push({ day: d, status: d < utcDay(existsSince) ? 'no_data' : 'operational', incidents: [] })
  for (const m of windows) {
    for (const bar of days) {
      if (bar.day + DAY <= m.startsAt || bar.day > Math.min(m.endsAt, now)) continue
      if (bar.status === 'operational' || bar.status === 'no_data') bar.status = 'under_maintenance'
      bar.incidents.push({ id: m.id, title: `Maintenance: ${m.title}` })
    }
  }
  let down = 0
  for (const i of incidents) {
    const start = Math.max(i.createdAt, since)
    const end = Math.min(i.resolvedAt ?? now, now)
    if (end < start) continue
    const status = statusOf(i)
    down += (end - start) * (status === 'major_outage' ? 1 : status === 'partial_outage' ? 0.3 : 0)
    for (const bar of days) {
      if (bar.day + DAY <= start || bar.day > end) continue
      bar.status = worstStatus([bar.status === 'no_data' ? 'operational' : bar.status, status])
      bar.incidents.push({ id: i.id, title: i.title })
    }
  }
  const total = Math.max(1, now - Math.max(since, existsSince))
  return { days, uptime: Math.max(0, Math.floor((1 - down / total) * 10000) / 100) }
}

/** One incident for its public page; undefined when it does not exist or the viewer may not see it. */
export async function loadPublicIncident(
  db: Reader,
  projectId: string,
  incidentId: string,
  includePrivate: boolean,
): Promise<PublicIncidentView | undefined> {
  const incident = await getIncident(db, incidentId)
  if (!incident || incident.projectId !== projectId) return undefined
  if (incident.visibility !== 'public' && !includePrivate) return undefined
  const changes = await componentChangesOfUpdates(
    db,
    incident.updates.map((u) => u.id),
  )
  return toPublic(incident, incident.updates, incident.components, changes)
}
