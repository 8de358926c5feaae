import type { MaintenanceView } from '../../domain/status/maintenance.js'
import type { PublicIncidentView, StatusView } from '../../domain/status/page.js'

// Statuspage's /api/v2/summary.json shape, so existing status clients and widgets can read Earshot.
// Only public fields are ever put in (the view holds no internal notes or authors).

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString())

function incidentJson(pageId: string, pageUrl: string, i: PublicIncidentView) {
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
    page_id: pageId,
    incident_updates: i.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.message,
      incident_id: i.id,
      created_at: iso(u.createdAt),
      updated_at: iso(u.createdAt),
      display_at: iso(u.createdAt),
      affected_components: null,
      deliver_notifications: true,
    })),
    components: i.components.map((c) => ({ id: c.id, name: c.name, status: c.status })),
  }
}

function maintenanceJson(pageId: string, pageUrl: string, m: MaintenanceView) {
  return {
    id: m.id,
    name: m.title,
    status: m.phase,
    created_at: iso(m.createdAt),
    updated_at: iso(m.createdAt),
    monitoring_at: null,
    resolved_at: m.phase === 'completed' ? iso(m.endsAt) : null,
    impact: 'maintenance',
    shortlink: `${pageUrl}#${m.id}`,
    started_at: iso(m.startsAt),
    page_id: pageId,
    incident_updates: m.message
      ? [{ id: `${m.id}_u`, status: m.phase, body: m.message, incident_id: m.id, created_at: iso(m.createdAt), updated_at: iso(m.createdAt), display_at: iso(m.createdAt), affected_components: null, deliver_notifications: true }]
      : [],
    components: m.components.map((c) => ({ id: c.id, name: c.name })),
    scheduled_for: iso(m.startsAt),
    scheduled_until: iso(m.endsAt),
  }
}

export function summaryJson(view: StatusView, pageUrl: string) {
  const p = view.project
  return {
    page: { id: p.id, name: p.name, url: pageUrl, time_zone: 'Etc/UTC', updated_at: iso(view.updatedAt) },
    components: view.components.map((c) => ({
      id: c.id,
      name: c.name,
      status: c.shown,
      created_at: iso(c.createdAt),
      updated_at: iso(view.updatedAt),
      position: c.position,
      description: c.description || null,
      showcase: true,
      start_date: null,
      group_id: null,
      page_id: p.id,
      group: false,
      only_show_if_degraded: false,
    })),
    incidents: view.active.map((i) => incidentJson(p.id, pageUrl, i)),
    scheduled_maintenances: [...view.maintenances.inProgress, ...view.maintenances.scheduled].map((m) => maintenanceJson(p.id, pageUrl, m)),
    status: { indicator: view.indicator, description: view.description },
  }
}
