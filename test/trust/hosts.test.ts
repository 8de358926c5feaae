// Issue 11, items 1 and 3, tried the way an attacker would: a signed-in nobody (a viewer who made
// their own workspace) tries to take over the deployment's own host with a custom status domain,
// to squat or steal another project's domain (through the status-page route and through project
// settings), and status hosts try to shadow the app's own paths. Real app, real libSQL, a real DNS
// server on 127.0.0.1 for verification (Node's resolver over UDP).
import { existsSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemTxtLookup } from '../../worker/entries/node-dns.js'
import { PUBLIC_DIR } from '../../worker/entries/node-server.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/db.js'
import { startDnsServer, type DnsServer } from '../support/dns-server.js'
import { startServer, type TestServer } from '../support/server.js'
import { signInEveryone } from './people.js'

const PUBLIC_URL = 'https://earshot.example.com'
const built = existsSync(`${PUBLIC_DIR}/dashboard/index.html`) && existsSync(`${PUBLIC_DIR}/widget.js`)

let dns: DnsServer
beforeAll(async () => {
  dns = await startDnsServer()
})
afterAll(() => dns.close())

/** JSON request as the dashboard sends it, to any host the caller likes (app.request sets Host from the URL). */
async function call(t: TestApp, cookie: string | undefined, method: string, url: string, body?: unknown) {
  const full = url.startsWith('http') ? url : `http://earshot.example.com${url}`
  const res = await t.app.request(full, {
    method,
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
  const text = await res.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, json, text, headers: res.headers }
}

/** A raw HTTP request with a Host header of our choosing (fetch will not send one). */
function hostRequest(
  server: TestServer,
  host: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const base = new URL(server.url)
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>(
    (ok, fail) => {
      const req = httpRequest(
        {
          host: base.hostname,
          port: base.port,
          path,
          method: opts.method ?? 'GET',
          headers: { host, ...opts.headers },
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (c) => (text += c))
          res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, text }))
        },
      )
      req.on('error', fail)
      req.end(opts.body)
    },
  )
}

describe('a signed-in nobody cannot take over the deployment’s host (issue 11 #1)', () => {
  let t: TestApp
  let viewer: string
  let attackerProject: string
  beforeAll(async () => {
    t = await createTestApp({ config: { publicUrl: PUBLIC_URL }, lookupTxt: systemTxtLookup([dns.address]) })
    viewer = (await signInEveryone(t)).cookies.viewer!
    // What any signed-in person may do: make a workspace of their own (they own it) and a project.
    const ws = (await call(t, viewer, 'POST', '/api/workspaces', { name: 'Attacker Inc' })).json.workspace.id
    attackerProject = (await call(t, viewer, 'POST', `/api/workspaces/${ws}/projects`, { name: 'Evil', slug: 'evil' }))
      .json.project.id
  })
  afterAll(() => t.close())

  it('refuses as custom domain: the app’s host, PUBLIC_URL’s, loopback, IP literals, STATUS_DOMAIN names', async () => {
    const attempts: [string, string][] = [
      ['earshot.example.com', '/api'], // PUBLIC_URL's host
      ['earshot.internal.example', 'http://earshot.internal.example/api'], // the host the dashboard request came to
      ['status.localhost', '/api'], // STATUS_DOMAIN itself
      ['demo.status.localhost', '/api'], // another project's built-in status host
      ['evil.status.localhost', '/api'], // even its own built-in host: those are served already
      ['app.localhost', '/api'],
      ['localhost', '/api'],
      ['127.0.0.1', '/api'],
      ['[::1]', '/api'],
    ]
    for (const [domain, base] of attempts) {
      const api = base.startsWith('http') ? base : `http://earshot.example.com${base}`
      const url = `${api}/projects/${attackerProject}/status-page`
      const res = await call(t, viewer, 'PUT', url, { custom_domain: domain })
      expect(res.status, domain).toBe(400)
      expect(res.json.error.code, domain).toMatch(/^(domain_not_allowed|invalid_body)$/)
    }
    expect((await t.db.client.execute('SELECT count(*) AS n FROM custom_domains')).rows[0]!.n).toBe(0)
    // The app's host still is the app.
    expect((await call(t, undefined, 'GET', 'http://earshot.example.com/health')).json).toMatchObject({ ok: true })
    expect((await call(t, viewer, 'GET', 'http://earshot.example.com/api/me')).status).toBe(200)
    expect((await call(t, undefined, 'GET', `http://earshot.example.com/v1/incidents?key=${t.key}`)).status).toBe(200)
  })

  it('serves a custom domain only once its DNS TXT record proves control; a pending claim squats nothing', async () => {
    const owner = (
      await call(t, undefined, 'POST', '/api/session', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
    ).headers
      .get('set-cookie')!
      .split(';')[0]!
    // The attacker claims the victim's domain first: accepted as a pending claim, but not served.
    const squat = await call(t, viewer, 'PUT', `/api/projects/${attackerProject}/status-page`, {
      custom_domain: 'status.victim.example',
    })
    expect(squat.status).toBe(200)
    expect(squat.json.status_page.domain_verification.status).toBe('pending')
    // The app's /api, not a status site.
    expect((await call(t, undefined, 'GET', 'http://status.victim.example/api/v2/summary.json')).status).toBe(401)
    expect((await call(t, viewer, 'POST', `/api/projects/${attackerProject}/status-page/verify`)).json.error.code).toBe(
      'domain_not_verified',
    )
    // The real owner claims it too (a pending claim blocks no one) and publishes the record.
    const claim = await call(t, owner, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, {
      custom_domain: 'status.victim.example',
    })
    expect(claim.status).toBe(200)
    const record = claim.json.status_page.domain_verification.record
    expect(record.value).not.toBe(squat.json.status_page.domain_verification.record.value)
    dns.setTxt(record.name, [record.value])
    expect((await call(t, viewer, 'POST', `/api/projects/${attackerProject}/status-page/verify`)).status).toBe(422)
    expect((await call(t, owner, 'POST', `/api/projects/${t.seed.projectId}/status-page/verify`)).status).toBe(200)
    const summary = await call(t, undefined, 'GET', 'http://status.victim.example/api/v2/summary.json')
    expect(summary.status).toBe(200)
    expect(summary.json.page.name).toBe('Acme Shop')
    // Now it is the victim's: claiming it again is refused, and even the attacker's token in the
    // zone (a careless DNS admin) cannot move it.
    expect(
      (
        await call(t, viewer, 'PUT', `/api/projects/${attackerProject}/status-page`, {
          custom_domain: 'status.victim.example',
        })
      ).json.error.code,
    ).toBe('domain_taken')
    dns.setTxt(record.name, [record.value, squat.json.status_page.domain_verification.record.value])
    const steal = await call(t, viewer, 'POST', `/api/projects/${attackerProject}/status-page/verify`)
    expect(steal.status).toBe(409)
    expect(steal.json.error.code).toBe('domain_taken')
    expect((await call(t, undefined, 'GET', 'http://status.victim.example/api/v2/summary.json')).json.page.name).toBe(
      'Acme Shop',
    )
  })

  it('keeps verified domains unique in the schema itself (a unique index, not only a check in one route)', async () => {
    const other = (await t.db.client.execute("SELECT id FROM projects WHERE slug = 'elsewhere'")).rows[0]!.id as string
    await t.db.client.execute({
      sql: 'DELETE FROM custom_domains WHERE project_id IN (?, ?)',
      args: [attackerProject, other],
    })
    await t.db.client.execute({
      sql:
        'INSERT INTO custom_domains (project_id, domain, token, created_at, verified_at) ' +
        "VALUES (?, 'unique.victim.example', 'a', 1, 1)",
      args: [attackerProject],
    })
    await expect(
      t.db.client.execute({
        sql:
          'INSERT INTO custom_domains (project_id, domain, token, created_at, verified_at) ' +
          "VALUES (?, 'unique.victim.example', 'b', 1, 1)",
        args: [other],
      }),
    ).rejects.toThrow(/UNIQUE constraint failed: custom_domains\.domain/)
    // Pending claims of one name may coexist (whoever proves DNS control wins).
    await t.db.client.execute({
      sql:
        'INSERT INTO custom_domains (project_id, domain, token, created_at) ' +
        "VALUES (?, 'unique.victim.example', 'c', 1)",
      args: [other],
    })
    await t.db.client.execute({
      sql: 'DELETE FROM custom_domains WHERE project_id IN (?, ?)',
      args: [attackerProject, other],
    })
  })
})

describe('custom domains cannot be set through project settings (issue 11 #3)', () => {
  let t: TestApp
  let owner: string
  let otherOwner: string
  let otherProject: string
  beforeAll(async () => {
    t = await createTestApp({ config: { publicUrl: PUBLIC_URL }, lookupTxt: systemTxtLookup([dns.address]) })
    const everyone = await signInEveryone(t)
    owner = everyone.cookies.owner!
    otherOwner = everyone.cookies.other_owner!
    otherProject = everyone.other.projectId
  })
  afterAll(() => t.close())

  it('refuses settings.custom_domain and any undocumented key, and never serves a domain written there', async () => {
    // The victim's domain, verified the proper way.
    const claim = await call(t, owner, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, {
      custom_domain: 'status.acme.example',
    })
    dns.setTxt(claim.json.status_page.domain_verification.record.name, [
      claim.json.status_page.domain_verification.record.value,
    ])
    expect((await call(t, owner, 'POST', `/api/projects/${t.seed.projectId}/status-page/verify`)).status).toBe(200)

    for (const settings of [
      { custom_domain: 'status.acme.example' },
      { custom_domain: 'status.squat.example' },
      { retention_days: 30, anything: true },
      { surge: { bogus: 1 } },
      { surge: { cluster: { minReports: '8' } } },
    ]) {
      const res = await call(t, otherOwner, 'PATCH', `/api/projects/${otherProject}`, { settings })
      expect(res.status, JSON.stringify(settings)).toBe(400)
      expect(res.json.error.code).toBe('invalid_body')
    }
    const stored = (
      await t.db.client.execute({ sql: 'SELECT settings FROM projects WHERE id = ?', args: [otherProject] })
    ).rows[0]!.settings as string
    expect(stored).not.toContain('custom_domain')
    expect((await call(t, undefined, 'GET', 'http://status.acme.example/api/v2/summary.json')).json.page.name).toBe(
      'Acme Shop',
    )
    expect((await call(t, undefined, 'GET', 'http://status.squat.example/feed.atom')).status).toBe(404)

    // A domain that reached the settings JSON some other way (older versions) is never served.
    await t.db.client.execute({
      sql: `UPDATE projects SET settings = '{"custom_domain":"status.legacy.example"}' WHERE id = ?`,
      args: [otherProject],
    })
    expect((await call(t, undefined, 'GET', 'http://status.legacy.example/feed.atom')).status).toBe(404)

    // The documented keys still work.
    const ok = await call(t, otherOwner, 'PATCH', `/api/projects/${otherProject}`, {
      settings: {
        retention_days: 30,
        surge: { enabled: true, windowMinutes: 10, cluster: { minReports: 8, minReporters: 5 } },
      },
    })
    expect(ok.status).toBe(200)
    expect(ok.json.project.settings).toMatchObject({
      retention_days: 30,
      surge: { windowMinutes: 10, cluster: { minReports: 8 } },
    })
  })
})

describe('status hosts never shadow the app’s own paths (issue 11 #1)', () => {
  let s: TestServer
  let cookie: string
  beforeAll(async () => {
    s = await startServer({ config: { publicUrl: PUBLIC_URL }, dnsServers: [dns.address] })
    const login = await fetch(`${s.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    })
    cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const put = await fetch(`${s.url}/api/projects/${s.projectId}/status-page`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ custom_domain: 'status.shadow.example' }),
    })
    const record = (await put.json()).status_page.domain_verification.record
    dns.setTxt(record.name, [record.value])
    const verify = await fetch(`${s.url}/api/projects/${s.projectId}/status-page/verify`, {
      method: 'POST',
      headers: { cookie, 'content-length': '0' },
    })
    expect(verify.status).toBe(200)
  })
  afterAll(() => s.close())

  for (const host of ['status.shadow.example', 'demo.status.localhost']) {
    it(`on ${host}: the status site at /; /health, /openapi.json, /api, /v1, /dashboard, /widget.js: app`, async () => {
      const page = await hostRequest(s, host, '/')
      expect(page.status).toBe(200)
      expect(page.text).toContain('Acme Shop')
      expect(JSON.parse((await hostRequest(s, host, '/api/v2/summary.json')).text).page.name).toBe('Acme Shop')

      expect(JSON.parse((await hostRequest(s, host, '/health')).text)).toMatchObject({ ok: true })
      expect(JSON.parse((await hostRequest(s, host, '/openapi.json')).text).openapi).toBeDefined()
      const me = await hostRequest(s, host, '/api/me')
      expect(me.status).toBe(401)
      expect(JSON.parse(me.text).error.code).toBe('not_signed_in')
      expect((await hostRequest(s, host, `/v1/incidents?key=${s.key}`)).status).toBe(200)
      // The widget's report through the status host is accepted and stored, not answered 404.
      const report = await hostRequest(s, host, '/v1/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-earshot-key': s.key, 'idempotency-key': `shadow-${host}` },
        body: JSON.stringify({ message: `Reported through ${host}` }),
      })
      expect(report.status).toBe(202)
      const id = JSON.parse(report.text).id
      expect(
        (await s.db.client.execute({ sql: 'SELECT count(*) AS n FROM reports WHERE id = ?', args: [id] })).rows[0]!.n,
      ).toBe(1)
      if (built) {
        const widget = await hostRequest(s, host, '/widget.js')
        expect(widget.status).toBe(200)
        expect(String(widget.headers['content-type'])).toMatch(/javascript/)
        const dashboard = await hostRequest(s, host, '/dashboard/')
        expect(dashboard.status).toBe(200)
        expect(dashboard.text).toContain('<div id="app"')
      }
    })
  }
})
