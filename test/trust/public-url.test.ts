// Issue 11 #7: links in e-mails, feeds and webhooks come from PUBLIC_URL (or a verified custom
// domain), never from the request's Host; production refuses to start without PUBLIC_URL — on
// the Node entry (a real process) and on the Workers entry.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../worker/config.js'
import { dohTxtLookup } from '../../worker/domain/incidents/dns-txt.js'
import { REPO_ROOT, startNodeServer } from '../../worker/entries/node-server.js'
import workersEntry from '../../worker/entries/workers.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/db.js'
import { startDnsServer, type DnsServer } from '../support/dns-server.js'
import { clusterOf } from '../support/pipeline.js'
import { startReceiver, type Receiver } from '../status/support.js'

const PUBLIC_URL = 'https://earshot.example.com'
const EVIL = 'evil-phish.example'

describe('links never come from the request’s Host', () => {
  let t: TestApp
  let dns: DnsServer
  let hooks: Receiver
  let cookie: string
  beforeAll(async () => {
    dns = await startDnsServer()
    hooks = await startReceiver()
    t = await createTestApp({ config: { publicUrl: PUBLIC_URL }, lookupTxt: dohTxtLookup(dns.dohUrl) })
    const login = await t.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    })
    cookie = login.headers.get('set-cookie')!.split(';')[0]!
  })
  afterAll(async () => {
    t.close()
    await dns.close()
    await hooks.close()
  })

  /** The dashboard as it would be used through a Host the attacker chose (same-origin to it). */
  const dashboard = async (method: string, path: string, body?: unknown) => {
    const res = await t.app.request(`http://${EVIL}${path}`, {
      method,
      headers: {
        cookie,
        origin: `http://${EVIL}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : { 'content-length': '0' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, json: text ? JSON.parse(text) : undefined }
  }
  const outbox = async () =>
    (await t.db.client.execute('SELECT channel, target, payload FROM outbox ORDER BY rowid')).rows.map((r) => ({
      channel: String(r.channel),
      target: String(r.target),
      payload: String(r.payload),
    }))
  const subscribe = (host: string, email: string) =>
    t.app.request(`http://${host}${host.includes('status.localhost') ? '' : '/status/demo'}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    })

  it('mails confirmation links to PUBLIC_URL when the subscribe request names another Host', async () => {
    expect((await subscribe(EVIL, 'wanda@example.com')).status).toBe(202)
    expect((await subscribe('demo.status.localhost:6666', 'vic@example.com')).status).toBe(202)
    const mails = (await outbox()).filter((m) => m.channel === 'email')
    expect(mails).toHaveLength(2)
    for (const m of mails) {
      expect(m.payload).toContain(`${PUBLIC_URL}/status/demo/subscribe/confirm?token=`)
      expect(m.payload).not.toContain(EVIL)
      expect(m.payload).not.toContain('6666')
    }
  })

  it('builds feeds and summary.json links from PUBLIC_URL whatever the Host', async () => {
    await dashboard('POST', '/api/incidents', {
      project_id: t.seed.projectId,
      title: 'Checkout fails',
      message: 'Looking into it.',
    })
    for (const path of ['/status/demo/feed.atom', '/status/demo/feed.rss', '/status/demo/api/v2/summary.json']) {
      const body = await (await t.app.request(`http://${EVIL}${path}`)).text()
      expect(body, path).toContain(`${PUBLIC_URL}/status/demo`)
      expect(body, path).not.toContain(EVIL)
    }
  })

  it('puts PUBLIC_URL in e-mails, webhooks, maintenance, reporter messages, private links (other Host)', async () => {
    // A confirmed subscriber, a webhook for incident events and a reporter who left an e-mail.
    const confirm = (await outbox())
      .find((m) => m.target === 'wanda@example.com')!
      .payload.match(/subscribe\/confirm\?token=([\w-]+)/)![1]!
    expect(
      (
        await t.app.request('/status/demo/subscribe/confirm', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `token=${encodeURIComponent(confirm)}`,
        })
      ).status,
    ).toBe(200)
    expect(
      (
        await dashboard('POST', `/api/projects/${t.seed.projectId}/webhooks`, {
          url: `${hooks.url}/hook`,
          kind: 'generic',
          events: ['incident.created', 'incident.updated', 'incident.resolved', 'maintenance.scheduled'],
        })
      ).status,
    ).toBe(201)
    const report = await t.app.request('/v1/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': t.key },
      body: JSON.stringify({ message: 'Card payment fails at checkout', email: 'rita@example.com' }),
    })
    const clusterId = await clusterOf(t.deps, (await report.json()).id)

    const declared = await dashboard('POST', '/api/incidents', {
      cluster_id: clusterId,
      title: 'Card payments fail',
      message: 'Payments fail for some customers.',
    })
    expect(declared.status).toBe(201)
    const incidentId = declared.json.incident.id
    expect(declared.json.incident.status_page_url).toBe(`${PUBLIC_URL}/status/demo/incidents/${incidentId}`)
    expect(
      (
        await dashboard('POST', `/api/incidents/${incidentId}/updates`, {
          status: 'identified',
          message: 'A certificate expired.',
        })
      ).status,
    ).toBe(201)
    expect(
      (
        await dashboard('POST', `/api/incidents/${incidentId}/notify-affected`, {
          message: 'Your order was not charged.',
        })
      ).status,
    ).toBe(202)
    const soon = Date.UTC(2026, 10, 21, 9, 0, 0)
    expect(
      (
        await dashboard('POST', `/api/projects/${t.seed.projectId}/maintenances`, {
          title: 'Database upgrade',
          starts_at: new Date(soon).toISOString(),
          ends_at: new Date(soon + 3600_000).toISOString(),
        })
      ).status,
    ).toBe(201)
    const token = await dashboard('POST', `/api/projects/${t.seed.projectId}/status-tokens`, { label: 'Partner' })
    expect(token.json.private_url).toMatch(new RegExp(`^${PUBLIC_URL}/status/demo\\?token=`))
    const page = await dashboard('GET', `/api/projects/${t.seed.projectId}/status-page`)
    expect(JSON.stringify(page.json)).not.toContain(EVIL)

    const sent = (await outbox()).filter((m) => m.target !== 'vic@example.com')
    const kinds = new Set(sent.map((m) => `${m.channel}:${m.target}`))
    expect(kinds).toEqual(new Set(['email:wanda@example.com', 'email:rita@example.com', `webhook:${hooks.url}/hook`]))
    // Created, updated, maintenance.
    expect(sent.filter((m) => m.channel === 'webhook').length).toBeGreaterThanOrEqual(3)
    for (const m of sent) {
      expect(m.payload, m.target).not.toContain(EVIL)
      expect(m.payload, m.target).toContain(`${PUBLIC_URL}/status/demo`)
    }
  })

  it('uses the verified custom domain once there is one, and never an unverified one', async () => {
    const set = await dashboard('PUT', `/api/projects/${t.seed.projectId}/status-page`, {
      custom_domain: 'status.acme.example',
    })
    expect(set.status).toBe(200)
    expect((await subscribe(EVIL, 'pending@example.com')).status).toBe(202)
    const record = set.json.status_page.domain_verification.record
    dns.setTxt(record.name, [record.value])
    expect((await dashboard('POST', `/api/projects/${t.seed.projectId}/status-page/verify`)).status).toBe(200)
    expect((await subscribe(EVIL, 'verified@example.com')).status).toBe(202)
    const mails = await outbox()
    expect(mails.find((m) => m.target === 'pending@example.com')!.payload).toContain(
      `${PUBLIC_URL}/status/demo/subscribe/confirm`,
    )
    expect(mails.find((m) => m.target === 'verified@example.com')!.payload).toContain(
      'https://status.acme.example/subscribe/confirm',
    )
  })
})

describe('production refuses to start without PUBLIC_URL', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-public-url-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('the Node entry (npm start) exits 1 with a message naming PUBLIC_URL, before creating the database', async () => {
    const file = join(dir, 'refused.db')
    const env = {
      ...process.env,
      EARSHOT_ENV: 'production',
      PUBLIC_URL: '',
      PORT: '0',
      LIBSQL_URL: `file:${file}`,
      EARSHOT_SECRET_KEY: 'k'.repeat(32),
    }
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/entries/node.ts'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (c) => (stderr += c))
    const code = await new Promise<number | null>((ok) => child.on('exit', ok))
    expect(code).toBe(1)
    expect(stderr).toContain('PUBLIC_URL is required in production')
    expect(stderr).not.toMatch(/\n\s+at /) // a message, not a stack trace
    expect(existsSync(file)).toBe(false)
  }, 60_000)

  it('startNodeServer refuses production without an https PUBLIC_URL, and with a bad EARSHOT_TRUST_PROXY', async () => {
    const start = (env: Record<string, string>) =>
      startNodeServer({
        databaseUrl: `file:${join(dir, 'never.db')}`,
        env: { EARSHOT_ENV: 'production', ...env },
        jobsIntervalMs: 0,
        log: () => {},
      })
    await expect(start({})).rejects.toBeInstanceOf(ConfigError)
    await expect(start({ PUBLIC_URL: 'http://earshot.example.com' })).rejects.toThrow(/must use https/)
    await expect(start({ PUBLIC_URL: 'https://earshot.example.com', EARSHOT_TRUST_PROXY: 'yes' })).rejects.toThrow(
      /EARSHOT_TRUST_PROXY/,
    )
    expect(existsSync(join(dir, 'never.db'))).toBe(false)
  })

  it('the Workers entry answers every request with server_misconfigured (and logs why)', async () => {
    const env = {
      TURSO_DATABASE_URL: 'http://127.0.0.1:9',
      EARSHOT_ENV: 'production',
      ASSETS: { fetch: async () => new Response('asset') },
    }
    const logged: string[] = []
    const original = console.error
    console.error = (...args: unknown[]) => void logged.push(args.join(' '))
    try {
      const res = await workersEntry.fetch(new Request(`http://${EVIL}/health`), env, {
        waitUntil() {},
        passThroughOnException() {},
      } as never)
      expect(res.status).toBe(500)
      expect(((await res.json()) as any).error.code).toBe('server_misconfigured')
    } finally {
      console.error = original
    }
    expect(logged.join('\n')).toContain('PUBLIC_URL is required in production')
  })
})
