// Typed client for the dashboard API (/api/*): openapi-fetch over the types openapi-typescript
// generates from /openapi.json (api-types.ts), so every path, parameter, body and answer is
// checked against what the routes describe. `call` turns the API's `{ error: { code, message } }`
// shape into an ApiError the pages can show.
import createClient from 'openapi-fetch'
import type { paths } from './api-types'
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
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '' && v !== false) qs.set(k, String(v))
  const s = qs.toString()
  return s ? `${path}?${s}` : path
}

/** Thrown for 304 answers to conditional GETs: nothing changed since the ETag we sent. */
export class NotModified extends Error {}
export const etagOf = (data: unknown): string | undefined => (data as { __etag?: string } | undefined)?.__etag

export const client = createClient<paths>({
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
  // As the server reads queries: empty filters are left out.
  querySerializer: (query) => withQuery('', query as Query).slice(1),
})

/** The answer's JSON (undefined for 204), or the API's error as an ApiError. */
export async function call<D>(
  pending: Promise<{ data?: D; error?: unknown; response: Response }>,
): Promise<NonNullable<D>> {
  let result: { data?: D; error?: unknown; response: Response }
  try {
    result = await pending
  } catch {
    throw new ApiError(0, 'network', 'Earshot is not reachable. Check your connection; we will keep trying.')
  }
  const { data, error, response: res } = result
  if (res.status === 304) throw new NotModified()
  if (!res.ok) {
    const body = error as { error?: { code?: string; message?: string } } | undefined
    const err = new ApiError(
      res.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? `Request failed (${res.status}).`,
    )
    if (res.status === 401 && !res.url.endsWith('/api/session')) onSignedOut()
    throw err
  }
  const etag = res.headers.get('etag')
  if (etag && data && typeof data === 'object')
    Object.defineProperty(data, '__etag', { value: etag, enumerable: false })
  return data as NonNullable<D>
}
export const done = async (pending: Promise<unknown>): Promise<void> => {
  await call(pending as Promise<{ response: Response }>)
}
const ifNoneMatch = (etag?: string) => (etag ? { 'if-none-match': etag } : undefined)

export const api = {
  // session & account
  signIn: (email: string, password: string) => call(client.POST('/api/session', { body: { email, password } })),
  signOut: () => done(client.DELETE('/api/session')),
  me: () => call(client.GET('/api/me')),
  changePassword: (current_password: string, new_password: string) =>
    done(client.POST('/api/me/password', { body: { current_password, new_password } })),
  signOutEverywhere: () => done(client.POST('/api/me/sessions/revoke', { body: {} as never })),

  // clusters
  clusters: (q: T.ClusterQuery, etag?: string) =>
    call(client.GET('/api/clusters', { params: { query: q }, headers: ifNoneMatch(etag) })),
  cluster: (id: string, etag?: string) =>
    call(client.GET('/api/clusters/{id}', { params: { path: { id } }, headers: ifNoneMatch(etag) })),
  clusterReports: (id: string, before?: string) =>
    call(client.GET('/api/clusters/{id}/reports', { params: { path: { id }, query: { before } } })),
  setClusterStatus: (id: string, status: T.ClusterStatus) =>
    call(client.POST('/api/clusters/{id}/status', { params: { path: { id } }, body: { status } })),
  assignCluster: (id: string, assignee_id: string | null) =>
    call(client.POST('/api/clusters/{id}/assign', { params: { path: { id } }, body: { assignee_id } })),
  mergeCluster: (id: string, into_id: string) =>
    call(client.POST('/api/clusters/{id}/merge', { params: { path: { id } }, body: { into_id } })),
  mergeClusters: (into_id: string, source_ids: string[]) =>
    call(client.POST('/api/clusters/merge', { body: { into_id, source_ids } })),
  undoMerge: (group_id: string) =>
    call(client.POST('/api/merges/{id}/undo', { params: { path: { id: group_id } }, body: {} as never })),
  renameCluster: (id: string, title: string | null) =>
    call(client.PATCH('/api/clusters/{id}', { params: { path: { id } }, body: { title } })),
  similarClusters: (id: string) => call(client.GET('/api/clusters/{id}/similar', { params: { path: { id } } })),
  dismissRecurrence: (id: string) =>
    call(client.POST('/api/incidents/{id}/recurrence/dismiss', { params: { path: { id } }, body: {} as never })),
  moveReports: (id: string, report_ids: string[], target: { to_cluster_id?: string; new_title?: string }) =>
    call(client.POST('/api/clusters/{id}/move', { params: { path: { id } }, body: { report_ids, ...target } })),
  markNotRelated: (id: string, other_id: string) =>
    done(client.POST('/api/clusters/{id}/not-related', { params: { path: { id } }, body: { other_id } })),
  linkIncident: (id: string, incident_id: string) =>
    call(client.POST('/api/clusters/{id}/incident', { params: { path: { id } }, body: { incident_id } })),
  searchReports: (q: string, project_id?: string) =>
    call(client.GET('/api/reports/search', { params: { query: { q, project_id } } })),
  addReport: (id: string, input: T.SupportReportInput) =>
    call(client.POST('/api/projects/{id}/reports', { params: { path: { id } }, body: input })),

  // incidents (the status area extends these)
  incidents: () => call(client.GET('/api/incidents')),
  incident: (id: string) => call(client.GET('/api/incidents/{id}', { params: { path: { id } } })),
  declareIncident: (input: T.DeclareInput) => call(client.POST('/api/incidents', { body: input })),
  postIncidentUpdate: (id: string, input: { status: T.IncidentStatus; message: string; internal_note?: string }) =>
    call(client.POST('/api/incidents/{id}/updates', { params: { path: { id } }, body: input })),

  // workspace: members, invitations, tokens
  createWorkspace: (name: string) => call(client.POST('/api/workspaces', { body: { name } })),
  members: (ws: string) => call(client.GET('/api/workspaces/{ws}/members', { params: { path: { ws } } })),
  setMemberRole: (ws: string, id: string, role: T.Role) =>
    done(client.PATCH('/api/workspaces/{ws}/members/{id}', { params: { path: { ws, id } }, body: { role } })),
  removeMember: (ws: string, id: string) =>
    done(client.DELETE('/api/workspaces/{ws}/members/{id}', { params: { path: { ws, id } } })),
  invite: (ws: string, input: { email?: string; role: T.Role }) =>
    call(client.POST('/api/workspaces/{ws}/invitations', { params: { path: { ws } }, body: input })),
  revokeInvitation: (id: string) => done(client.DELETE('/api/invitations/{id}', { params: { path: { id } } })),
  invitationInfo: (token: string) =>
    call(client.GET('/api/invitations/by-token/{token}', { params: { path: { token } } })),
  /** Signed in: joins as this account. */
  joinWithInvitation: (token: string) =>
    call(
      client.POST('/api/invitations/by-token/{token}/accept', { params: { path: { token } }, body: {} }),
    ) as Promise<T.InvitationJoined>,
  /** Signed out: asks for a new account; it is made when the person then signs in with it. */
  requestAccount: (token: string, input: { name?: string; email?: string; password: string }) =>
    call(
      client.POST('/api/invitations/by-token/{token}/accept', { params: { path: { token } }, body: input }),
    ) as Promise<T.InvitationClaimed>,
  leaveWorkspace: (ws: string) =>
    done(client.POST('/api/workspaces/{ws}/leave', { params: { path: { ws } }, body: {} as never })),
  tokens: (ws: string) => call(client.GET('/api/workspaces/{ws}/tokens', { params: { path: { ws } } })),
  createToken: (ws: string, input: { name: string; scopes: T.TokenScope[] }) =>
    call(client.POST('/api/workspaces/{ws}/tokens', { params: { path: { ws } }, body: input })),
  revokeToken: (id: string) => done(client.DELETE('/api/tokens/{id}', { params: { path: { id } } })),

  eraseCustomer: (ws: string, input: { email?: string; reporter_id?: string }) =>
    call(client.POST('/api/workspaces/{ws}/privacy/erase', { params: { path: { ws } }, body: input })),

  // projects
  createProject: (ws: string, input: { name: string; slug: string; allowed_origins: string[] }) =>
    call(client.POST('/api/workspaces/{ws}/projects', { params: { path: { ws } }, body: input })),
  project: (id: string) => call(client.GET('/api/projects/{id}', { params: { path: { id } } })),
  updateProject: (
    id: string,
    input: { name?: string; allowed_origins?: string[]; settings?: Partial<NonNullable<T.ProjectSettings>> },
  ) => call(client.PATCH('/api/projects/{id}', { params: { path: { id } }, body: input as never })),
  rotateKey: (id: string) =>
    call(client.POST('/api/projects/{id}/rotate-key', { params: { path: { id } }, body: {} as never })),

  // webhooks (API built by the surge area)
  webhooks: (id: string) => call(client.GET('/api/projects/{id}/webhooks', { params: { path: { id } } })),
  createWebhook: (id: string, input: { url: string; kind?: 'slack' | 'generic'; events?: string[] }) =>
    call(client.POST('/api/projects/{id}/webhooks', { params: { path: { id } }, body: input as never })),
  testWebhook: (id: string) =>
    call(client.POST('/api/webhooks/{id}/test', { params: { path: { id } }, body: {} as never })),
  deleteWebhook: (id: string) => done(client.DELETE('/api/webhooks/{id}', { params: { path: { id } } })),
  webhookDeliveries: (id: string) => call(client.GET('/api/webhooks/{id}/deliveries', { params: { path: { id } } })),

  // outbox (owners): what went out or waits to
  outbox: (ws: string, q: T.OutboxQuery = {}) =>
    call(client.GET('/api/workspaces/{ws}/outbox', { params: { path: { ws }, query: q } })),
}
