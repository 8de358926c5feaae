import type { Role } from '../../worker/db/schema/index.js'
import { createResponder } from '../../worker/domain/access/auth.js'
import { createProject, createWorkspace } from '../../worker/domain/projects/projects.js'
import { memberships } from '../../worker/db/schema/index.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../support/db.js'
import { clusterOf } from '../support/pipeline.js'

export const ORIGIN = 'https://shop.example.com'

/** A signed-in client for app.request(): keeps the session cookie like a browser would. */
export async function signIn(t: TestApp, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  const res = await t.app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!
  return client(t, { cookie })
}

export function client(t: TestApp, auth: { cookie?: string; bearer?: string }) {
  const headers = (extra: Record<string, string> = {}) => ({
    ...(auth.cookie ? { cookie: auth.cookie } : {}),
    ...(auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}),
    ...extra,
  })
  const call = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    t.app.request(path, {
      method,
      headers: headers(body === undefined ? extra : { 'content-type': 'application/json', ...extra }),
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  return {
    auth,
    get: (path: string, extra?: Record<string, string>) => call('GET', path, undefined, extra),
    post: (path: string, body: unknown = {}, extra?: Record<string, string>) => call('POST', path, body, extra),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    del: (path: string) => call('DELETE', path),
    async json(method: string, path: string, body?: unknown) {
      const res = await call(method, path, body)
      return { status: res.status, body: res.status === 204 || res.status === 304 ? undefined : await res.json() }
    },
  }
}
export type Client = ReturnType<typeof client>

/**
 * A customer report through the public API, exactly as the widget sends it; then waits for the
 * report pipeline and returns the cluster it was put in.
 */
export async function report(
  t: TestApp,
  message: string,
  extra: Record<string, unknown> = {},
  key = t.key,
  origin = ORIGIN,
) {
  const res = await t.app.request('/v1/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-earshot-key': key, origin },
    body: JSON.stringify({ message, ...extra }),
  })
  if (res.status !== 202) throw new Error(`report failed: ${res.status} ${await res.text()}`)
  const { id } = (await res.json()) as { id: string }
  return { id, cluster_id: (await clusterOf(t.deps, id))! }
}

/** Adds a person with a role to the demo workspace (or a given one). */
export async function addMember(t: TestApp, email: string, role: Role, workspaceId?: string) {
  const ws = workspaceId ?? (await t.db.orm.select().from(memberships).get())!.workspaceId
  await t.db.write((tx) =>
    createResponder(tx, t.deps, {
      email,
      password: 'long enough password',
      name: email.split('@')[0],
      workspaceId: ws,
      role,
    }),
  )
  return signIn(t, email, 'long enough password')
}

/** A second, unrelated workspace with its own project, owner and one report. */
export async function otherWorkspace(t: TestApp) {
  const { ws, project } = await t.db.write(async (tx) => {
    const ws = await createWorkspace(tx, t.deps, 'Globex')
    const project = await createProject(tx, t.deps, {
      workspaceId: ws.id,
      name: 'Globex App',
      slug: 'globex',
      allowedOrigins: [ORIGIN],
    })
    await createResponder(tx, t.deps, {
      email: 'owner@globex.test',
      password: 'long enough password',
      workspaceId: ws.id,
      role: 'owner',
    })
    return { ws, project }
  })
  const rep = await report(t, 'Globex secret complaint about invoices', {}, project.publicKey)
  const owner = await signIn(t, 'owner@globex.test', 'long enough password')
  return { ws, project, owner, report: rep }
}
