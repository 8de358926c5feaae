// The incidents area's slice of the dashboard API (routes in worker/routes/api/incidents.ts).
import { ApiError } from '../../api'
import type { IncidentImpact, IncidentStatus, IncidentSummary, IncidentUpdate } from '../../types'

export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage'
export const COMPONENT_LABEL: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
}

export interface StatusComponent {
  id: string
  project_id: string
  name: string
  description: string
  position: number
  status: ComponentStatus
  created_at: string
}
/** The server's incident head (worker/routes/api/serialize.ts incidentHeadJson) plus the detail. */
export interface IncidentDetail extends Omit<IncidentSummary, 'latest_update'> {
  updates: IncidentUpdate[]
  clusters: { id: string; title: string; report_count: number; reporter_count: number }[]
  components: { id: string; name: string; status: ComponentStatus }[]
  notices: { total: number; seen: number }
  status_page_url: string | null
  /** reports linked to it that arrived after it was resolved (while "may be back") */
  reports_since_resolved?: number
}
export interface Learning {
  incident_id: string
  title: string
  impact: IncidentImpact
  visibility: string
  status: IncidentStatus
  first_report_at: string | null
  declared_at: string
  first_public_update_at: string | null
  resolved_at: string | null
  time_to_detect_ms: number | null
  time_to_first_update_ms: number | null
  customer_impact_ms: number | null
  reports: number
  reporters: number
  affected_presses: number
  releases: { release: string; reports: number }[]
  notices: { total: number; seen: number }
  timeline?: { at: string; kind: 'report' | 'declared' | 'update' | 'resolved'; status: string | null; text: string; internal_note: string | null; author: string | null }[]
}
export interface ProjectLearning {
  incidents: number
  customer_reported: number
  median_time_to_detect_ms: number | null
  median_time_to_first_update_ms: number | null
  median_customer_impact_ms: number | null
  reports: number
  reporters: number
  rows: Learning[]
}
export interface Maintenance {
  id: string
  title: string
  message: string
  starts_at: string
  ends_at: string
  phase: 'scheduled' | 'in_progress' | 'completed' | 'cancelled'
  components: { id: string; name: string }[]
  cancelled_at: string | null
}
export interface Subscriber {
  id: string
  email: string
  state: 'pending' | 'confirmed' | 'unsubscribed'
  component_ids: string[]
  created_at: string
  confirmed_at: string | null
}
export interface StatusPageInfo {
  slug: string
  url: string
  path_url: string
  host_url: string
  custom_domain: string | null
  /** Set while a custom domain is chosen: it is served only once `verified` (a DNS TXT record). */
  domain_verification: DomainVerification | null
  summary_url: string
  atom_url: string
  rss_url: string
}
export interface DomainVerification {
  status: 'pending' | 'verified'
  verified_at: string | null
  checked_at: string | null
  last_error: string | null
  record: { type: 'TXT'; name: string; value: string }
  /** Where the domain must point (CNAME): the deployment's own host. */
  cname_target: string
}
export interface StatusToken {
  id: string
  label: string
  created_at: string
  revoked_at: string | null
}

async function call<R>(method: string, path: string, body?: unknown): Promise<R> {
  let res: Response
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    })
  } catch {
    throw new ApiError(0, 'network', 'Earshot is not reachable. Check your connection.')
  }
  if (res.status === 204) return undefined as R
  const data = await res.json().catch(() => undefined)
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? 'http_error', data?.error?.message ?? `Request failed (${res.status}).`)
  return data as R
}

const id = encodeURIComponent
export type AffectedInput = { component_id: string; status: Exclude<ComponentStatus, 'operational'> }[]

export const incidentsApi = {
  list: (projectId?: string) => call<{ incidents: (Omit<IncidentDetail, 'updates' | 'clusters' | 'components' | 'notices' | 'status_page_url'> & { latest_update: IncidentUpdate })[] }>('GET', `/incidents${projectId ? `?project_id=${id(projectId)}` : ''}`),
  get: (incidentId: string) => call<{ incident: IncidentDetail }>('GET', `/incidents/${id(incidentId)}`),
  patch: (incidentId: string, input: { title?: string; impact?: IncidentImpact; visibility?: 'public' | 'private' }) => call<{ incident: IncidentDetail }>('PATCH', `/incidents/${id(incidentId)}`, input),
  postUpdate: (incidentId: string, input: { status: IncidentStatus; message: string; internal_note?: string; components?: AffectedInput }) =>
    call<{ incident: IncidentDetail }>('POST', `/incidents/${id(incidentId)}/updates`, input),
  notifyAffected: (incidentId: string, message: string) => call<{ notices: number; emails: number; email_configured?: boolean }>('POST', `/incidents/${id(incidentId)}/notify-affected`, { message }),
  learning: (incidentId: string) => call<{ learning: Learning }>('GET', `/incidents/${id(incidentId)}/learning`),
  exportUrl: (incidentId: string) => `/api/incidents/${id(incidentId)}/export.md`,
  projectLearning: (projectId: string) => call<{ learning: ProjectLearning }>('GET', `/projects/${id(projectId)}/learning`),
  components: (projectId: string) => call<{ components: StatusComponent[] }>('GET', `/projects/${id(projectId)}/components`),
  createComponent: (projectId: string, input: { name: string; description?: string }) => call<{ component: StatusComponent }>('POST', `/projects/${id(projectId)}/components`, input),
  updateComponent: (projectId: string, componentId: string, input: Partial<Pick<StatusComponent, 'name' | 'description' | 'position' | 'status'>>) =>
    call<{ component: StatusComponent }>('PATCH', `/projects/${id(projectId)}/components/${id(componentId)}`, input),
  deleteComponent: (projectId: string, componentId: string) => call<void>('DELETE', `/projects/${id(projectId)}/components/${id(componentId)}`),
  maintenances: (projectId: string) => call<{ maintenances: Maintenance[] }>('GET', `/projects/${id(projectId)}/maintenances`),
  scheduleMaintenance: (projectId: string, input: { title: string; message: string; starts_at: string; ends_at: string; component_ids: string[] }) =>
    call<{ maintenance: Maintenance }>('POST', `/projects/${id(projectId)}/maintenances`, input),
  cancelMaintenance: (projectId: string, maintenanceId: string) => call<void>('POST', `/projects/${id(projectId)}/maintenances/${id(maintenanceId)}/cancel`, {}),
  subscribers: (projectId: string) => call<{ subscribers: Subscriber[] }>('GET', `/projects/${id(projectId)}/subscribers`),
  removeSubscriber: (projectId: string, subscriberId: string) => call<void>('DELETE', `/projects/${id(projectId)}/subscribers/${id(subscriberId)}`),
  statusPage: (projectId: string) => call<{ status_page: StatusPageInfo }>('GET', `/projects/${id(projectId)}/status-page`),
  setCustomDomain: (projectId: string, custom_domain: string | null) => call<{ status_page: StatusPageInfo }>('PUT', `/projects/${id(projectId)}/status-page`, { custom_domain }),
  verifyCustomDomain: (projectId: string) => call<{ status_page: StatusPageInfo }>('POST', `/projects/${id(projectId)}/status-page/verify`, {}),
  tokens: (projectId: string) => call<{ tokens: StatusToken[] }>('GET', `/projects/${id(projectId)}/status-tokens`),
  createToken: (projectId: string, label: string) => call<{ token: StatusToken; secret: string; private_url: string }>('POST', `/projects/${id(projectId)}/status-tokens`, { label }),
  revokeToken: (projectId: string, tokenId: string) => call<void>('DELETE', `/projects/${id(projectId)}/status-tokens/${id(tokenId)}`),
}

export function duration(ms: number | null | undefined): string {
  if (ms == null) return '—'
  const m = Math.round(ms / 60_000)
  if (m < 1) return `${Math.max(0, Math.round(ms / 1000))} s`
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  return h < 48 ? `${h} h ${m % 60} min` : `${(h / 24).toFixed(1)} days`
}
