// Typed client for the dashboard API (/api/*). Every call goes through `request`, which turns the
// API's `{ error: { code, message } }` shape into an ApiError the pages can show.
import type * as T from './types'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Called on any 401 so the shell can send the responder back to sign-in. */
let onSignedOut: () => void = () => {}
export const setSignedOutHandler = (fn: () => void) => (onSignedOut = fn)

type Query = Record<string, string | number | undefined | null | false>

function withQuery(path: string, query?: Query) {
  if (!query) return path
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '' && v !== false) qs.set(k, String(v))
  const s = qs.toString()
  return s ? `${path}?${s}` : path
}

async function request<R>(method: string, path: string, body?: unknown, init: { etag?: string } = {}): Promise<R> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (init.etag) headers['if-none-match'] = init.etag
  let res: Response
  try {
    res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'network', 'Earshot is not reachable. Check your connection; we will keep trying.')
  }
  if (res.status === 304) throw new NotModified()
  if (res.status === 204) return undefined as R
  const data = await res.json().catch(() => undefined)
  if (!res.ok) {
    const err = new ApiError(res.status, data?.error?.code ?? 'http_error', data?.error?.message ?? `Request failed (${res.status}).`)
    if (res.status === 401 && path !== '/session') onSignedOut()
    throw err
  }
  const etag = res.headers.get('etag')
  if (etag && data && typeof data === 'object') Object.defineProperty(data, '__etag', { value: etag, enumerable: false })
  return data as R
}

/** Thrown for 304 answers to conditional GETs: nothing changed since the ETag we sent. */
export class NotModified extends Error {}
export const etagOf = (data: unknown): string | undefined => (data as { __etag?: string } | undefined)?.__etag

const get = <R>(path: string, query?: Query, etag?: string) => request<R>('GET', withQuery(path, query), undefined, { etag })
const post = <R>(path: string, body: unknown = {}) => request<R>('POST', path, body)
const patch = <R>(path: string, body: unknown) => request<R>('PATCH', path, body)
const del = <R = void>(path: string) => request<R>('DELETE', path)

export const api = {
  // session & account
  signIn: (email: string, password: string) => post<T.Me>('/session', { email, password }),
  signOut: () => del('/session'),
  me: () => get<T.Me>('/me'),
  changePassword: (current_password: string, new_password: string) => post<void>('/me/password', { current_password, new_password }),
  signOutEverywhere: () => post<void>('/me/sessions/revoke', {}),

  // clusters
  clusters: (q: T.ClusterQuery, etag?: string) => get<T.ClusterList>('/clusters', q as Query, etag),
  cluster: (id: string, etag?: string) => get<T.ClusterPage>(`/clusters/${encodeURIComponent(id)}`, undefined, etag),
  clusterReports: (id: string, before?: string) => get<{ reports: T.Report[]; next_before: string | null }>(`/clusters/${encodeURIComponent(id)}/reports`, { before }),
  setClusterStatus: (id: string, status: T.ClusterStatus) => post<{ cluster: T.Cluster }>(`/clusters/${encodeURIComponent(id)}/status`, { status }),
  assignCluster: (id: string, assignee_id: string | null) => post<{ cluster: T.Cluster }>(`/clusters/${encodeURIComponent(id)}/assign`, { assignee_id }),
  mergeCluster: (id: string, into_id: string) => post<{ cluster: T.Cluster; merge: T.MergeResult }>(`/clusters/${encodeURIComponent(id)}/merge`, { into_id }),
  mergeClusters: (into_id: string, source_ids: string[]) => post<{ cluster: T.Cluster; merge: T.MergeResult }>('/clusters/merge', { into_id, source_ids }),
  undoMerge: (group_id: string) => post<{ cluster: T.Cluster; restored: T.Cluster[] }>(`/merges/${encodeURIComponent(group_id)}/undo`, {}),
  renameCluster: (id: string, title: string | null) => patch<{ cluster: T.Cluster }>(`/clusters/${encodeURIComponent(id)}`, { title }),
  similarClusters: (id: string) => get<{ similar: T.SimilarCluster[] }>(`/clusters/${encodeURIComponent(id)}/similar`),
  dismissRecurrence: (id: string) => post<{ incident: T.Incident }>(`/incidents/${encodeURIComponent(id)}/recurrence/dismiss`, {}),
  moveReports: (id: string, report_ids: string[], target: { to_cluster_id?: string; new_title?: string }) =>
    post<{ cluster: T.Cluster }>(`/clusters/${encodeURIComponent(id)}/move`, { report_ids, ...target }),
  markNotRelated: (id: string, other_id: string) => post<void>(`/clusters/${encodeURIComponent(id)}/not-related`, { other_id }),
  linkIncident: (id: string, incident_id: string) => post<{ cluster: T.Cluster }>(`/clusters/${encodeURIComponent(id)}/incident`, { incident_id }),
  searchReports: (q: string, project_id?: string) => get<{ reports: T.Report[] }>('/reports/search', { q, project_id }),
  addReport: (project_id: string, input: T.SupportReportInput) => post<{ id: string }>(`/projects/${encodeURIComponent(project_id)}/reports`, input),

  // incidents (the status area extends these)
  incidents: () => get<{ incidents: T.IncidentSummary[] }>('/incidents'),
  incident: (id: string) => get<{ incident: T.Incident }>(`/incidents/${encodeURIComponent(id)}`),
  declareIncident: (input: T.DeclareInput) => post<{ incident: T.Incident }>('/incidents', input),
  postIncidentUpdate: (id: string, input: { status: T.IncidentStatus; message: string; internal_note?: string }) =>
    post<{ incident: T.Incident }>(`/incidents/${encodeURIComponent(id)}/updates`, input),

  // workspace: members, invitations, tokens
  createWorkspace: (name: string) => post<{ workspace: T.Workspace }>('/workspaces', { name }),
  members: (ws: string) => get<{ members: T.Member[]; invitations: T.Invitation[] }>(`/workspaces/${encodeURIComponent(ws)}/members`),
  setMemberRole: (ws: string, responderId: string, role: T.Role) => patch<void>(`/workspaces/${encodeURIComponent(ws)}/members/${encodeURIComponent(responderId)}`, { role }),
  removeMember: (ws: string, responderId: string) => del(`/workspaces/${encodeURIComponent(ws)}/members/${encodeURIComponent(responderId)}`),
  invite: (ws: string, input: { email?: string; role: T.Role }) => post<{ invitation: T.Invitation; url: string }>(`/workspaces/${encodeURIComponent(ws)}/invitations`, input),
  revokeInvitation: (id: string) => del(`/invitations/${encodeURIComponent(id)}`),
  invitationInfo: (token: string) => get<{ workspace_name: string; role: T.Role; email: string | null; expires_at: string }>(`/invitations/by-token/${encodeURIComponent(token)}`),
  /** Signed in: joins as this account. */
  joinWithInvitation: (token: string) => post<{ workspace_id: string; role: T.Role }>(`/invitations/by-token/${encodeURIComponent(token)}/accept`, {}),
  /** Signed out: asks for a new account; it is made when the person then signs in with it. */
  requestAccount: (token: string, input: { name?: string; email?: string; password: string }) => post<{ next: 'sign_in' }>(`/invitations/by-token/${encodeURIComponent(token)}/accept`, input),
  leaveWorkspace: (ws: string) => post<void>(`/workspaces/${encodeURIComponent(ws)}/leave`, {}),
  tokens: (ws: string) => get<{ tokens: T.ApiToken[] }>(`/workspaces/${encodeURIComponent(ws)}/tokens`),
  createToken: (ws: string, input: { name: string; scopes: T.TokenScope[] }) => post<{ token: T.ApiToken; secret: string }>(`/workspaces/${encodeURIComponent(ws)}/tokens`, input),
  revokeToken: (id: string) => del(`/tokens/${encodeURIComponent(id)}`),

  eraseCustomer: (ws: string, input: { email?: string; reporter_id?: string }) =>
    post<{ erased: Record<string, number> }>(`/workspaces/${encodeURIComponent(ws)}/privacy/erase`, input),

  // projects
  createProject: (ws: string, input: { name: string; slug: string; allowed_origins: string[] }) => post<{ project: T.Project }>(`/workspaces/${encodeURIComponent(ws)}/projects`, input),
  project: (id: string) => get<{ project: T.Project }>(`/projects/${encodeURIComponent(id)}`),
  updateProject: (id: string, input: Partial<Pick<T.Project, 'name' | 'allowed_origins' | 'settings'>>) => patch<{ project: T.Project }>(`/projects/${encodeURIComponent(id)}`, input),
  rotateKey: (id: string) => post<{ project: T.Project }>(`/projects/${encodeURIComponent(id)}/rotate-key`, {}),

  // webhooks (API built by the surge area)
  webhooks: (projectId: string) => get<{ webhooks: T.Webhook[]; events?: string[] }>(`/projects/${encodeURIComponent(projectId)}/webhooks`),
  createWebhook: (projectId: string, input: { url: string; kind?: 'slack' | 'generic'; events?: string[] }) => post<{ webhook: T.Webhook; secret?: string }>(`/projects/${encodeURIComponent(projectId)}/webhooks`, input),
  testWebhook: (id: string) => post<{ outbox_id: string }>(`/webhooks/${encodeURIComponent(id)}/test`, {}),
  deleteWebhook: (id: string) => del(`/webhooks/${encodeURIComponent(id)}`),
  webhookDeliveries: (id: string) => get<{ deliveries: T.WebhookDelivery[] }>(`/webhooks/${encodeURIComponent(id)}/deliveries`),

  // outbox (owners): what went out or waits to
  outbox: (ws: string, q: { channel?: string; status?: string; before?: string } = {}) => get<T.OutboxList>(`/workspaces/${encodeURIComponent(ws)}/outbox`, q),
}
