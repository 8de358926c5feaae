import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../worker/db/schema/index.js'
import { createResponder } from '../../worker/domain/access/auth.js'
import { systemTxtLookup } from '../../worker/entries/node-dns.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/db.js'
import { startDnsServer, type DnsServer } from '../support/dns-server.js'
import { clusterOf } from '../support/pipeline.js'
import { PASSWORD, PEOPLE, signInEveryone, type Who } from './people.js'

// Every /api route × every kind of caller, with the answer each must get. Routes are read from the
// app itself, so a route added without an expectation here fails this test.

type Min = 'open' | 'signed_in' | Role
type Params = Record<string, string>
interface Spec {
  /**
   * Who may: anyone ('open'), any signed-in person ('signed_in', their own data), or a role and up in
   * the resource's workspace.
   */
  min: Min
  /**
   * Fresh path parameters (and whatever the body needs) for each caller, so one caller's action never
   * decides another's answer.
   */
  params?: () => Promise<Params>
  body?: (p: Params, who: Who) => unknown
  query?: string
  /** The route ends the caller's own session: give each caller a fresh one. */
  endsSession?: boolean
}

let t: TestApp
let ws = ''
let projectId = ''
let cookies: Record<Who, string | undefined>
let other: { workspaceId: string; projectId: string }
let receiver: Server
let receiverUrl = ''
let dns: DnsServer
let seq = 0
const RANK: Record<Role, number> = { viewer: 0, support: 1, responder: 2, owner: 3 }
const ROLE_OF: Partial<Record<Who, Role>> = {
  viewer: 'viewer',
  support: 'support',
  responder: 'responder',
  owner: 'owner',
}
const PASSWORD_OF: Partial<Record<Who, string>> = {
  viewer: PASSWORD,
  support: PASSWORD,
  responder: PASSWORD,
  owner: ADMIN_PASSWORD,
  other_owner: PASSWORD,
}
const EMAIL_OF: Partial<Record<Who, string>> = {
  viewer: 'viewer@example.com',
  support: 'support@example.com',
  responder: 'responder@example.com',
  owner: ADMIN_EMAIL,
  other_owner: 'owner@elsewhere.example',
}

async function api(method: string, path: string, body?: unknown, cookie = cookies.owner) {
  const res = await t.app.request(path, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`fixture ${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : {}
}

// ---- fixtures (made as the owner, through the real API where there is one) ----
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`
async function newCluster() {
  // Random made-up words, so each fixture report starts a cluster of its own.
  const word = () => Array.from({ length: 8 }, () => 'bcdfghjklmnpqrstvwxz'[Math.floor(Math.random() * 20)]).join('')
  const text = Array.from({ length: 6 }, word).join(' ')
  const res = await t.app.request('/v1/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-earshot-key': t.key },
    body: JSON.stringify({ message: text, reporter_id: `r${unique()}` }),
  })
  const body = await res.json()
  return { clusterId: (await clusterOf(t.deps, body.id))!, reportId: body.id as string }
}
/** A report with a screenshot (multipart, as the widget sends it). */
async function newScreenshotReport() {
  const form = new FormData()
  form.set('report', JSON.stringify({ message: `Screenshot report ${unique()}`, reporter_id: `r${unique()}` }))
  form.set(
    'screenshot',
    new Blob(
      [
        new Uint8Array(
          Buffer.from(
            'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
            'base64',
          ),
        ),
      ],
      { type: 'image/png' },
    ),
    's.png',
  )
  const res = await t.app.request('/v1/reports', { method: 'POST', headers: { 'x-earshot-key': t.key }, body: form })
  if (res.status !== 202) throw new Error(`screenshot report ${res.status} ${await res.text()}`)
  return (await res.json()).id as string
}
const newIncident = async () =>
  (
    await api('POST', '/api/incidents', {
      project_id: projectId,
      title: `Incident ${unique()}`,
      message: 'Looking into it',
    })
  ).incident.id as string
const newComponent = async () =>
  (await api('POST', `/api/projects/${projectId}/components`, { name: `Component ${unique()}` })).component?.id ??
  (await firstRow('SELECT id FROM components ORDER BY rowid DESC'))
const newMaintenance = async () => {
  const start = new Date(t.clock.now() + 86400_000).toISOString()
  const end = new Date(t.clock.now() + 2 * 86400_000).toISOString()
  const res = await api('POST', `/api/projects/${projectId}/maintenances`, {
    title: `Maintenance ${unique()}`,
    starts_at: start,
    ends_at: end,
  })
  return (res.maintenance?.id as string) ?? (await firstRow('SELECT id FROM maintenances ORDER BY rowid DESC'))
}
const newSubscriber = async () => {
  const res = await t.app.request('/status/demo/subscribe', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `sub${unique()}@example.com` }),
  })
  if (res.status >= 300) throw new Error(`subscribe ${res.status}`)
  return firstRow('SELECT id FROM subscribers ORDER BY rowid DESC')
}
const newStatusToken = async () => {
  const res = await api('POST', `/api/projects/${projectId}/status-tokens`, { label: `t${unique()}` })
  return (res.token?.id as string) ?? (await firstRow('SELECT id FROM status_tokens ORDER BY rowid DESC'))
}
const newMember = async () =>
  (
    await t.db.write((tx) =>
      createResponder(tx, t.deps, {
        email: `member${unique()}@example.com`,
        password: PASSWORD,
        workspaceId: ws,
        role: 'viewer',
      }),
    )
  ).id
const newInvitation = async () => {
  const res = await api('POST', `/api/workspaces/${ws}/invitations`, {
    email: `invitee${unique()}@example.com`,
    role: 'viewer',
  })
  return { id: res.invitation.id as string, token: String(res.url).split('/').pop()! }
}
/** An open invitation to a throwaway workspace: whoever accepts it joins that one, not `ws`. */
const newOpenInvitationElsewhere = async () => {
  const elsewhere = (await api('POST', '/api/workspaces', { name: `Throwaway ${unique()}` })).workspace.id as string
  const res = await api('POST', `/api/workspaces/${elsewhere}/invitations`, { role: 'viewer' })
  return { token: String(res.url).split('/').pop()! }
}
/** A fresh workspace with the matrix's people in their roles (and a spare owner, so the owner may leave). */
const newSharedWorkspace = async () => {
  const id = (await api('POST', '/api/workspaces', { name: `Shared ${unique()}` })).workspace.id as string
  await t.db.write(async (tx) => {
    await createResponder(tx, t.deps, {
      email: `spare${unique()}@example.com`,
      password: PASSWORD,
      workspaceId: id,
      role: 'owner',
    })
    for (const role of ['viewer', 'support', 'responder'] as Role[]) {
      await tx.run(
        sql`INSERT INTO memberships (workspace_id, responder_id, role, created_at)
          SELECT ${id}, id, ${role}, 0 FROM responders WHERE email = ${`${role}@example.com`}`,
      )
    }
  })
  return { ws: id }
}
const newApiToken = async () =>
  (await api('POST', `/api/workspaces/${ws}/tokens`, { name: `token ${unique()}`, scopes: ['read'] })).token
    .id as string
/** A fresh project with a pending custom domain whose TXT record is published (the check succeeds). */
const newDomainClaim = async () => {
  const slug = `dom-${unique()}`
  const project = (await api('POST', `/api/workspaces/${ws}/projects`, { name: slug, slug })).project
  const claim = (
    await api('PUT', `/api/projects/${project.id}/status-page`, { custom_domain: `${slug}.matrix.example` })
  ).status_page.domain_verification
  dns.setTxt(claim.record.name, [claim.record.value])
  return { id: project.id as string }
}
const newWebhook = async () =>
  (await api('POST', `/api/projects/${projectId}/webhooks`, { url: receiverUrl, kind: 'generic', events: ['surge'] }))
    .webhook.id as string
async function firstRow(sql: string): Promise<string> {
  return String((await t.db.client.execute(sql)).rows[0]![0])
}

const P = (f: () => Promise<Params>) => f
const onProject = P(async () => ({ id: projectId }))

/** The expected answers. Keys are `METHOD /path` exactly as the app declares them. */
const SPECS: Record<string, Spec> = {
  // Open: sign-in and invitation links.
  'POST /api/session': { min: 'open', body: () => ({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) },
  'DELETE /api/session': { min: 'open', endsSession: true },
  'GET /api/invitations/by-token/:token': {
    min: 'open',
    params: async () => ({ token: (await newInvitation()).token }),
  },
  // Signed out: a new person's account request (202); signed in: that account joins (200).
  'POST /api/invitations/by-token/:token/accept': {
    min: 'open',
    params: async () => newOpenInvitationElsewhere(),
    body: (_p, who) =>
      who === 'anonymous'
        ? { email: `new${unique()}@example.com`, password: 'accepted-password-1', name: 'New person' }
        : {},
  },

  // Any signed-in person, about themselves or what they can see.
  'GET /api/me': { min: 'signed_in' },
  'POST /api/workspaces': { min: 'signed_in', body: () => ({ name: `Team ${unique()}` }) },
  'POST /api/me/password': {
    min: 'signed_in',
    body: (_p, who) => ({ current_password: PASSWORD_OF[who], new_password: PASSWORD_OF[who] }),
    endsSession: true,
  },
  'POST /api/me/sessions/revoke': { min: 'signed_in', endsSession: true },
  'GET /api/clusters': { min: 'signed_in' },
  'GET /api/reports/search': { min: 'signed_in', query: 'q=problem' },
  'GET /api/incidents': { min: 'signed_in' },

  // Screenshots: viewers and up in the report's workspace (issue 14).
  'GET /api/reports/:id/attachment': { min: 'viewer', params: async () => ({ id: await newScreenshotReport() }) },

  // Clusters.
  'GET /api/clusters/:id': { min: 'viewer', params: async () => ({ id: (await newCluster()).clusterId }) },
  'GET /api/clusters/:id/reports': { min: 'viewer', params: async () => ({ id: (await newCluster()).clusterId }) },
  'POST /api/clusters/:id/status': {
    min: 'responder',
    params: async () => ({ id: (await newCluster()).clusterId }),
    body: () => ({ status: 'acknowledged' }),
  },
  'POST /api/clusters/:id/assign': {
    min: 'responder',
    params: async () => ({ id: (await newCluster()).clusterId }),
    body: () => ({ assignee_id: null }),
  },
  'POST /api/clusters/:id/merge': {
    min: 'responder',
    params: async () => ({ id: (await newCluster()).clusterId, into: (await newCluster()).clusterId }),
    body: (p) => ({ into_id: p.into }),
  },
  'POST /api/clusters/:id/move': {
    min: 'responder',
    params: async () => {
      const c = await newCluster()
      return { id: c.clusterId, report: c.reportId }
    },
    body: (p) => ({ report_ids: [p.report], new_title: 'Split out' }),
  },
  'POST /api/clusters/:id/not-related': {
    min: 'responder',
    params: async () => ({ id: (await newCluster()).clusterId, other: (await newCluster()).clusterId }),
    body: (p) => ({ other_id: p.other }),
  },
  'PATCH /api/clusters/:id': {
    min: 'responder',
    params: async () => ({ id: (await newCluster()).clusterId }),
    body: () => ({ title: 'Named by a responder' }),
  },
  'GET /api/clusters/:id/similar': { min: 'viewer', params: async () => ({ id: (await newCluster()).clusterId }) },
  'POST /api/clusters/merge': {
    min: 'responder',
    params: async () => ({
      into: (await newCluster()).clusterId,
      a: (await newCluster()).clusterId,
      b: (await newCluster()).clusterId,
    }),
    body: (p) => ({ into_id: p.into, source_ids: [p.a, p.b] }),
  },
  'POST /api/merges/:id/undo': {
    min: 'responder',
    params: async () => ({
      id: (await t.deps.engine.mergeMany([(await newCluster()).clusterId], (await newCluster()).clusterId, null))
        .groupId,
    }),
    body: () => ({}),
  },
  'POST /api/clusters/:id/incident': {
    min: 'responder',
    params: async () => ({ id: (await newCluster()).clusterId, incident: await newIncident() }),
    body: (p) => ({ incident_id: p.incident }),
  },

  // Incidents.
  'POST /api/incidents': {
    min: 'responder',
    params: async () => ({ project: projectId }),
    body: (p) => ({ project_id: p.project, title: 'Checkout down', message: 'Investigating' }),
  },
  'GET /api/incidents/:id': { min: 'viewer', params: async () => ({ id: await newIncident() }) },
  'PATCH /api/incidents/:id': {
    min: 'responder',
    params: async () => ({ id: await newIncident() }),
    body: () => ({ impact: 'major' }),
  },
  'POST /api/incidents/:id/updates': {
    min: 'responder',
    params: async () => ({ id: await newIncident() }),
    body: () => ({ status: 'identified', message: 'Found it' }),
  },
  'POST /api/incidents/:id/recurrence/dismiss': {
    min: 'responder',
    params: async () => ({ id: await newIncident() }),
    body: () => ({}),
  },
  'POST /api/incidents/:id/notify-affected': {
    min: 'responder',
    params: async () => ({ id: await newIncident() }),
    body: () => ({ message: 'Fixed now' }),
  },
  'GET /api/incidents/:id/learning': { min: 'viewer', params: async () => ({ id: await newIncident() }) },
  'GET /api/incidents/:id/export.md': { min: 'viewer', params: async () => ({ id: await newIncident() }) },

  // Project status page, components, maintenance, subscribers, private-page tokens.
  'GET /api/projects/:id/learning': { min: 'viewer', params: onProject },
  'GET /api/projects/:id/components': { min: 'viewer', params: onProject },
  'POST /api/projects/:id/components': {
    min: 'responder',
    params: onProject,
    body: () => ({ name: `API ${unique()}` }),
  },
  'PATCH /api/projects/:id/components/:componentId': {
    min: 'responder',
    params: async () => ({ id: projectId, componentId: await newComponent() }),
    body: () => ({ status: 'degraded_performance' }),
  },
  'DELETE /api/projects/:id/components/:componentId': {
    min: 'responder',
    params: async () => ({ id: projectId, componentId: await newComponent() }),
  },
  'GET /api/projects/:id/maintenances': { min: 'viewer', params: onProject },
  'POST /api/projects/:id/maintenances': {
    min: 'responder',
    params: onProject,
    body: () => ({
      title: 'Database upgrade',
      starts_at: new Date(t.clock.now() + 86400_000).toISOString(),
      ends_at: new Date(t.clock.now() + 90000_000).toISOString(),
    }),
  },
  'POST /api/projects/:id/maintenances/:maintenanceId/cancel': {
    min: 'responder',
    params: async () => ({ id: projectId, maintenanceId: await newMaintenance() }),
  },
  'GET /api/projects/:id/subscribers': { min: 'responder', params: onProject },
  'DELETE /api/projects/:id/subscribers/:subscriberId': {
    min: 'responder',
    params: async () => ({ id: projectId, subscriberId: await newSubscriber() }),
  },
  'GET /api/projects/:id/status-page': { min: 'viewer', params: onProject },
  'PUT /api/projects/:id/status-page': { min: 'owner', params: onProject, body: () => ({ custom_domain: null }) },
  'POST /api/projects/:id/status-page/verify': { min: 'responder', params: newDomainClaim },
  'GET /api/projects/:id/status-tokens': { min: 'owner', params: onProject },
  'POST /api/projects/:id/status-tokens': { min: 'owner', params: onProject, body: () => ({ label: 'Partner' }) },
  'DELETE /api/projects/:id/status-tokens/:tokenId': {
    min: 'owner',
    params: async () => ({ id: projectId, tokenId: await newStatusToken() }),
  },

  // Workspace: members, invitations, API tokens, projects.
  'GET /api/workspaces/:ws/members': { min: 'viewer', params: async () => ({ ws }) },
  'PATCH /api/workspaces/:ws/members/:id': {
    min: 'owner',
    params: async () => ({ ws, id: await newMember() }),
    body: () => ({ role: 'support' }),
  },
  'DELETE /api/workspaces/:ws/members/:id': { min: 'owner', params: async () => ({ ws, id: await newMember() }) },
  'POST /api/workspaces/:ws/leave': { min: 'viewer', params: newSharedWorkspace },
  'POST /api/workspaces/:ws/invitations': {
    min: 'owner',
    params: async () => ({ ws }),
    body: () => ({ email: `new${unique()}@example.com`, role: 'viewer' }),
  },
  'DELETE /api/invitations/:id': { min: 'owner', params: async () => ({ id: (await newInvitation()).id }) },
  'GET /api/workspaces/:ws/tokens': { min: 'owner', params: async () => ({ ws }) },
  'POST /api/workspaces/:ws/tokens': {
    min: 'owner',
    params: async () => ({ ws }),
    body: () => ({ name: 'CI', scopes: ['read'] }),
  },
  'DELETE /api/tokens/:id': { min: 'owner', params: async () => ({ id: await newApiToken() }) },
  'POST /api/workspaces/:ws/projects': {
    min: 'owner',
    params: async () => ({ ws }),
    body: () => ({ name: 'New app', slug: `app-${unique()}` }),
  },
  'GET /api/projects/:id/abuse': { min: 'viewer', params: onProject, query: 'days=7' },
  'POST /api/workspaces/:ws/privacy/erase': {
    min: 'owner',
    params: async () => ({ ws }),
    body: () => ({ reporter_id: `nobody-${unique()}` }),
  },
  'GET /api/workspaces/:ws/outbox': { min: 'owner', params: async () => ({ ws }), query: 'channel=email' },
  'GET /api/projects/:id': { min: 'viewer', params: onProject },
  'PATCH /api/projects/:id': { min: 'owner', params: onProject, body: () => ({ color: '#123456' }) },
  'POST /api/projects/:id/rotate-key': { min: 'owner', params: onProject },
  'POST /api/projects/:id/reports': {
    min: 'support',
    params: onProject,
    body: () => ({ message: `Customer called about checkout ${unique()}`, channel: 'phone' }),
  },

  // Alert webhooks.
  'GET /api/projects/:id/webhooks': { min: 'responder', params: onProject },
  'POST /api/projects/:id/webhooks': {
    min: 'owner',
    params: onProject,
    body: () => ({ url: receiverUrl, kind: 'generic', events: ['surge'] }),
  },
  'DELETE /api/webhooks/:id': { min: 'owner', params: async () => ({ id: await newWebhook() }) },
  'GET /api/webhooks/:id/deliveries': { min: 'responder', params: async () => ({ id: await newWebhook() }) },
  'POST /api/webhooks/:id/test': { min: 'owner', params: async () => ({ id: await newWebhook() }) },
}

/** What a caller must get: 'ok' (2xx), or an exact refusal. */
function expected(spec: Spec, who: Who): 'ok' | 401 | 403 | 404 {
  if (spec.min === 'open') return 'ok'
  if (who === 'anonymous') return 401
  if (spec.min === 'signed_in') return 'ok'
  if (who === 'other_owner') return 404 // another workspace's resource: not even its existence is shown
  return RANK[ROLE_OF[who]!] >= RANK[spec.min] ? 'ok' : 403
}

async function freshCookie(who: Who): Promise<string | undefined> {
  if (who === 'anonymous') return undefined
  const res = await t.app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL_OF[who], password: PASSWORD_OF[who] }),
  })
  return res.headers.get('set-cookie')!.split(';')[0]!
}

beforeAll(async () => {
  receiver = createServer((_req, res) => res.end('ok'))
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  dns = await startDnsServer()
  t = await createTestApp({ lookupTxt: systemTxtLookup([dns.address]) })
  projectId = t.seed.projectId
  const everyone = await signInEveryone(t)
  ws = everyone.workspaceId
  cookies = everyone.cookies
  other = everyone.other
})
afterAll(async () => {
  t.close()
  await new Promise((ok) => receiver.close(ok))
  await dns.close()
})

describe('authorization matrix: every /api route × no session, each role, another workspace’s owner', () => {
  it('has an expectation for every /api route the app declares (and none for routes that do not exist)', () => {
    const declared = [
      ...new Set(
        t.app.routes
          .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && !r.path.includes('*'))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ].sort()
    expect(
      declared.filter((r) => !SPECS[r]),
      'routes without an expectation in SPECS',
    ).toEqual([])
    expect(
      Object.keys(SPECS).filter((r) => !declared.includes(r)),
      'expectations for routes that do not exist',
    ).toEqual([])
  })

  it('answers every caller as expected', async () => {
    const wrong: string[] = []
    for (const [route, spec] of Object.entries(SPECS)) {
      const [method, pattern] = route.split(' ') as [string, string]
      // Callers who will be refused can share one fixture (a refusal changes nothing; if one
      // wrongly succeeds, that is reported); each caller who may act gets a fresh one.
      let shared: Params | undefined
      for (const who of PEOPLE) {
        const mayAct = expected(spec, who) === 'ok'
        const params = !spec.params ? {} : mayAct ? await spec.params() : (shared ??= await spec.params())
        const path = pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
          encodeURIComponent(params[name] ?? 'missing'),
        )
        const cookie = spec.endsSession ? await freshCookie(who) : cookies[who]
        const body = spec.body?.(params, who)
        const res = await t.app.request(`${path}${spec.query ? `?${spec.query}` : ''}`, {
          method,
          // As the dashboard's fetch sends them: JSON, or an empty body with Content-Length: 0.
          headers: {
            ...(cookie ? { cookie } : {}),
            ...(body !== undefined
              ? { 'content-type': 'application/json' }
              : method === 'GET'
                ? {}
                : { 'content-length': '0' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
        // "Sign out everywhere" and a password change end the person's other sessions too.
        if (spec.endsSession && who !== 'anonymous') cookies[who] = await freshCookie(who)
        const want = expected(spec, who)
        const text = await res.text()
        const ok = want === 'ok' ? res.status >= 200 && res.status < 300 : res.status === want
        if (!ok) wrong.push(`${route} as ${who}: expected ${want}, got ${res.status} ${text.slice(0, 160)}`)
        // Another workspace's owner sees lists of their own things only, never this workspace's.
        if (who === 'other_owner' && want === 'ok' && (text.includes(projectId) || text.includes(ws)))
          wrong.push(`${route} as other_owner leaks workspace ${ws}`)
        if (res.status >= 400 && !pattern.endsWith('.md')) {
          const error = JSON.parse(text).error
          if (typeof error?.code !== 'string')
            wrong.push(`${route} as ${who}: ${res.status} without the JSON error shape`)
        }
      }
    }
    expect(wrong).toEqual([])
    expect(t.errors).toEqual([])
    expect(other.projectId).toBeTruthy()
  }, 120_000)
})
