// The incidents area's slice of the dashboard API (routes in worker/routes/api/incidents/), on
// the same typed client as the rest (../../api.ts); its types come from the generated api-types.ts.
import { call, client, done } from '../../api'
import type { components } from '../../api-types'
import type { IncidentImpact, IncidentStatus } from '../../types'

export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage'
export const COMPONENT_LABEL: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
}

type S = components['schemas']
export type StatusComponent = S['Component']
/** The server's incident head (worker/routes/api/serialize.ts incidentHeadJson) plus the detail. */
export type IncidentDetail = S['Incident']
export type Learning = S['IncidentLearning']
export type ProjectLearning = S['ProjectLearning']['learning']
export type Maintenance = S['Maintenance']
export type Subscriber = S['Subscriber']
export type StatusPageInfo = S['StatusPageSettings']['status_page']
/** Set while a custom domain is chosen: it is served only once `verified` (a DNS TXT record). */
export type DomainVerification = NonNullable<StatusPageInfo['domain_verification']>
export type StatusToken = S['StatusToken']
export type AffectedInput = { component_id: string; status: Exclude<ComponentStatus, 'operational'> }[]

export const incidentsApi = {
  list: (project_id?: string) => call(client.GET('/api/incidents', { params: { query: { project_id } } })),
  get: (id: string) => call(client.GET('/api/incidents/{id}', { params: { path: { id } } })),
  patch: (id: string, input: { title?: string; impact?: IncidentImpact; visibility?: 'public' | 'private' }) =>
    call(client.PATCH('/api/incidents/{id}', { params: { path: { id } }, body: input })),
  postUpdate: (
    id: string,
    input: { status: IncidentStatus; message: string; internal_note?: string; components?: AffectedInput },
  ) => call(client.POST('/api/incidents/{id}/updates', { params: { path: { id } }, body: input })),
  notifyAffected: (id: string, message: string) =>
    call(client.POST('/api/incidents/{id}/notify-affected', { params: { path: { id } }, body: { message } })),
  learning: (id: string) => call(client.GET('/api/incidents/{id}/learning', { params: { path: { id } } })),
  exportUrl: (incidentId: string) => `/api/incidents/${encodeURIComponent(incidentId)}/export.md`,
  projectLearning: (id: string) => call(client.GET('/api/projects/{id}/learning', { params: { path: { id } } })),
  components: (id: string) => call(client.GET('/api/projects/{id}/components', { params: { path: { id } } })),
  createComponent: (id: string, input: { name: string; description?: string }) =>
    call(client.POST('/api/projects/{id}/components', { params: { path: { id } }, body: input })),
  updateComponent: (
    id: string,
    componentId: string,
    input: Partial<Pick<StatusComponent, 'name' | 'description' | 'position' | 'status'>>,
  ) =>
    call(
      client.PATCH('/api/projects/{id}/components/{componentId}', {
        params: { path: { id, componentId } },
        body: input,
      }),
    ),
  deleteComponent: (id: string, componentId: string) =>
    done(client.DELETE('/api/projects/{id}/components/{componentId}', { params: { path: { id, componentId } } })),
  maintenances: (id: string) => call(client.GET('/api/projects/{id}/maintenances', { params: { path: { id } } })),
  scheduleMaintenance: (
    id: string,
    input: { title: string; message: string; starts_at: string; ends_at: string; component_ids: string[] },
  ) => call(client.POST('/api/projects/{id}/maintenances', { params: { path: { id } }, body: input })),
  cancelMaintenance: (id: string, maintenanceId: string) =>
    done(
      client.POST('/api/projects/{id}/maintenances/{maintenanceId}/cancel', {
        params: { path: { id, maintenanceId } },
        body: {} as never,
      }),
    ),
  subscribers: (id: string) => call(client.GET('/api/projects/{id}/subscribers', { params: { path: { id } } })),
  removeSubscriber: (id: string, subscriberId: string) =>
    done(client.DELETE('/api/projects/{id}/subscribers/{subscriberId}', { params: { path: { id, subscriberId } } })),
  statusPage: (id: string) => call(client.GET('/api/projects/{id}/status-page', { params: { path: { id } } })),
  setCustomDomain: (id: string, custom_domain: string | null) =>
    call(client.PUT('/api/projects/{id}/status-page', { params: { path: { id } }, body: { custom_domain } })),
  verifyCustomDomain: (id: string) =>
    call(client.POST('/api/projects/{id}/status-page/verify', { params: { path: { id } }, body: {} as never })),
  tokens: (id: string) => call(client.GET('/api/projects/{id}/status-tokens', { params: { path: { id } } })),
  createToken: (id: string, label: string) =>
    call(client.POST('/api/projects/{id}/status-tokens', { params: { path: { id } }, body: { label } })),
  revokeToken: (id: string, tokenId: string) =>
    done(client.DELETE('/api/projects/{id}/status-tokens/{tokenId}', { params: { path: { id, tokenId } } })),
}

export function duration(ms: number | null | undefined): string {
  if (ms == null) return '—'
  const m = Math.round(ms / 60_000)
  if (m < 1) return `${Math.max(0, Math.round(ms / 1000))} s`
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  return h < 48 ? `${h} h ${m % 60} min` : `${(h / 24).toFixed(1)} days`
}
