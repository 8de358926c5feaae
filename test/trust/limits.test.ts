import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, createDeps } from '../../worker/app.js'
import { manualClock } from '../../worker/clock.js'
import { loadConfig } from '../../worker/config.js'
import { createDatabase } from '../../worker/db/client.js'
import { openNodeClient } from '../../worker/db/node-client.js'
import { migrateDatabase } from '../../worker/db/migrate.js'
import { ensureDemoWorkspace } from '../../worker/demo/seed.js'
import { cloudflareClientAddress, databaseRateLimiter } from '../../worker/http/rate-limit.js'
import { abuseCounts } from '../../worker/domain/reports/spam.js'
import { createProject, createWorkspace } from '../../worker/domain/projects/projects.js'
import { startNodeServer } from '../../worker/entries/node-server.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/server.js'
import { postJson, send } from './http.js'

const reportCount = async (s: { db: TestServer['db'] }) =>
  Number((await s.db.client.execute('SELECT count(*) AS n FROM reports')).rows[0]!.n)

function expectLimited(res: { status: number; headers: Record<string, unknown>; json(): any }, code = 'rate_limited') {
  expect(res.status).toBe(429)
  expect(String(res.headers['retry-after'])).toMatch(/^[1-9]\d*$/)
  const body = res.json()
  expect(body.error.code).toBe(code)
  expect(typeof body.error.message).toBe('string')
}

describe('rate limits on the real Node server (client = socket address)', () => {
  const clock = manualClock(Date.UTC(2026, 10, 26, 12, 0, 0))
  let s: TestServer
  let otherKey: string
  beforeAll(async () => {
    s = await startServer({
      clock,
      config: {
        rateLimits: {
          reportsPerMinute: 5,
          readsPerMinute: 8,
          perAddressPerMinute: 1000,
          loginsPerAddressPer15Min: 6,
          loginsPerEmailPer15Min: 3,
          subscribesPerAddressPerHour: 2,
          repeatsPer10Min: 1000,
          domainChecksPerProjectPerHour: 2,
        },
      },
    })
    const project = await s.db.write(async (tx) => {
      const ws = await createWorkspace(tx, s.deps, 'Other')
      return createProject(tx, s.deps, { workspaceId: ws.id, name: 'Other', slug: 'other', allowedOrigins: [] })
    })
    otherKey = project.publicKey
  })
  afterAll(() => s.close())

  const report = (key: string, i: number, from?: string) =>
    postJson(
      `${s.url}/v1/reports`,
      { message: `Report number ${i}` },
      { 'x-earshot-key': key, 'idempotency-key': `limit-${key.slice(0, 8)}-${from ?? 'a'}-${i}` },
      from,
    )

  it('refuses reports over the limit per key + address (429 + Retry-After), stores none, spares others', async () => {
    const start = await reportCount(s)
    const answers = []
    for (let i = 0; i < 7; i++) answers.push(await report(s.key, i, '127.0.0.1'))
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([202, 202, 202, 202, 202])
    for (const a of answers.slice(5)) expectLimited(a)
    // From a page, the refusal carries CORS headers: the widget can read it and tell the customer.
    const fromPage = await postJson(
      `${s.url}/v1/reports`,
      { message: 'Report from the page' },
      { 'x-earshot-key': s.key, 'idempotency-key': 'limit-from-page', origin: 'https://shop.example.com' },
      '127.0.0.1',
    )
    expectLimited(fromPage)
    expect(fromPage.headers['access-control-allow-origin']).toBe('https://shop.example.com')
    expect(String(fromPage.headers['access-control-expose-headers'])).toContain('Retry-After')
    expect(await reportCount(s)).toBe(start + 5)

    // Another address, same key: its own budget.
    expect((await report(s.key, 100, '127.0.0.2')).status).toBe(202)
    // Same address, another project's key: its own budget.
    expect((await report(otherKey, 200, '127.0.0.1')).status).toBe(202)
    // The refusals were counted against the project (once per window).
    const counts = await abuseCounts(s.deps, s.projectId)
    expect(counts).toContainEqual(expect.objectContaining({ kind: 'rate_limited', count: 1 }))

    // The next minute the budget is back.
    clock.advance(60_000)
    expect((await report(s.key, 300, '127.0.0.1')).status).toBe(202)
  })

  it('refuses an oversized body with 413 (closing, so keep-alive goes on) and a foreign origin with 403', async () => {
    clock.advance(60_000)
    const big = await fetch(`${s.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': s.key },
      body: JSON.stringify({ message: 'big', context: { custom: { blob: 'x'.repeat(80_000) } } }),
    })
    expect(big.status).toBe(413)
    expect((await big.json()).error.code).toBe('body_too_large')
    const next = await fetch(`${s.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': s.key },
      body: JSON.stringify({ message: 'after the big one' }),
    })
    expect(next.status).toBe(202)
    const foreign = await fetch(`${s.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': s.key, origin: 'https://evil.example' },
      body: JSON.stringify({ message: 'from elsewhere' }),
    })
    expect(foreign.status).toBe(403)
    expect((await foreign.json()).error.code).toBe('origin_not_allowed')
  })

  it('limits reads (incidents) separately, by key + address', async () => {
    clock.advance(60_000)
    const get = (from: string) => send(`${s.url}/v1/incidents?key=${s.key}`, { from })
    for (let i = 0; i < 8; i++) expect((await get('127.0.0.3')).status).toBe(200)
    expectLimited(await get('127.0.0.3'))
    expect((await get('127.0.0.4')).status).toBe(200)
    // Writes still have their own budget from that address.
    expect((await report(s.key, 400, '127.0.0.3')).status).toBe(202)
  })

  it('limits sign-in attempts per e-mail and per address', async () => {
    const login = (email: string, password: string, from: string) =>
      postJson(`${s.url}/api/session`, { email, password }, {}, from)
    // Per e-mail: 3 attempts per 15 minutes, whoever makes them.
    expect((await login(ADMIN_EMAIL, 'wrong-1', '127.0.0.5')).status).toBe(401)
    expect((await login(ADMIN_EMAIL, 'wrong-2', '127.0.0.6')).status).toBe(401)
    expect((await login(ADMIN_EMAIL, 'wrong-3', '127.0.0.5')).status).toBe(401)
    // Even the right password is refused now: guessing has to stop, not just fail.
    expectLimited(await login(ADMIN_EMAIL, ADMIN_PASSWORD, '127.0.0.7'))
    // Per address: 6 attempts, whichever e-mails.
    for (let i = 0; i < 4; i++) expect((await login(`someone${i}@example.com`, 'x', '127.0.0.5')).status).toBe(401)
    expectLimited(await login('another@example.com', 'x', '127.0.0.5'))
    // A different person from a different address is unaffected.
    expect((await login('colleague@example.com', 'x', '127.0.0.8')).status).toBe(401)
    // After the window, the owner signs in.
    clock.advance(15 * 60_000)
    const ok = await login(ADMIN_EMAIL, ADMIN_PASSWORD, '127.0.0.7')
    expect(ok.status).toBe(200)
  })

  it('limits custom-domain DNS checks per project, whichever address asks', async () => {
    clock.advance(15 * 60_000) // past the sign-in test's window
    const signedIn = await postJson(
      `${s.url}/api/session`,
      { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      {},
      '127.0.0.20',
    )
    expect(signedIn.status).toBe(200)
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0]!
    const check = (from: string) =>
      send(`${s.url}/api/projects/${s.projectId}/status-page/verify`, {
        method: 'POST',
        headers: { cookie, 'content-length': '0' },
        from,
      })
    expect((await check('127.0.0.20')).status).toBe(409) // no custom domain set: answered, and counted
    expect((await check('127.0.0.21')).status).toBe(409)
    expectLimited(await check('127.0.0.22'))
    clock.advance(60 * 60_000)
    expect((await check('127.0.0.20')).status).toBe(409)
  })

  it('limits status-page subscriptions per address', async () => {
    const subscribe = (i: number, from: string) =>
      postJson(`${s.url}/status/demo/subscribe`, { email: `sub${i}@example.com` }, {}, from)
    const first = await subscribe(1, '127.0.0.9')
    expect(first.status).toBeLessThan(300)
    expect((await subscribe(2, '127.0.0.9')).status).toBeLessThan(300)
    expectLimited(await subscribe(3, '127.0.0.9'))
    expect((await subscribe(4, '127.0.0.10')).status).toBeLessThan(300)
  })
})

describe('behind a trusted reverse proxy (EARSHOT_TRUST_PROXY=1)', () => {
  it('keys limits on the address the proxy appended to X-Forwarded-For, which a client cannot choose', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-proxy-'))
    const server = await startNodeServer({
      databaseUrl: `file:${join(dir, 'proxy.db')}`,
      port: 0,
      env: { EARSHOT_ENV: 'test', EARSHOT_ADMIN_PASSWORD: 'proxy-test-password', EARSHOT_TRUST_PROXY: '1' },
      config: { rateLimits: { reportsPerMinute: 3 } },
      jobsIntervalMs: 0,
      log: () => {},
    })
    try {
      let n = 0
      const post = (forwardedFor: string) =>
        postJson(
          `${server.url}/v1/reports`,
          { message: `Proxied report ${n}` },
          {
            'x-earshot-key': server.seed.publicKey,
            'idempotency-key': `proxy-${n++}-xxxx`,
            'x-forwarded-for': forwardedFor,
          },
        )
      // The same customer, trying to look like someone else by prepending addresses of their own.
      const statuses = []
      for (const xff of ['203.0.113.1', '10.9.9.9, 203.0.113.1', '1.1.1.1, 203.0.113.1', '2.2.2.2, 203.0.113.1'])
        statuses.push((await post(xff)).status)
      expect(statuses).toEqual([202, 202, 202, 429])
      // Another customer through the same proxy (same socket address) is unaffected.
      expect((await post('203.0.113.2')).status).toBe(202)
    } finally {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('database rate limiter (Workers: counters shared by isolates)', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-limits-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('holds across two app instances over one database, keyed by CF-Connecting-IP', async () => {
    const url = `file:${join(dir, 'shared.db')}`
    const clock = manualClock(Date.UTC(2026, 10, 26, 12, 0, 0))
    const config = {
      ...loadConfig({ EARSHOT_ENV: 'production' }),
      rateLimits: { reportsPerMinute: 4, repeatsPer10Min: 1000 },
    }
    // Two "isolates": separate clients, databases, limiters and apps; only the file is shared.
    const isolate = async () => {
      const db = createDatabase(await openNodeClient(url), { groupCommit: false })
      await migrateDatabase(db)
      const deps = createDeps({
        db,
        clock,
        config,
        rateLimiter: databaseRateLimiter(db, clock),
        clientAddress: cloudflareClientAddress,
      })
      return { db, app: createApp(deps), deps }
    }
    const a = await isolate()
    const b = await isolate()
    const seed = await ensureDemoWorkspace(a.deps, { origins: [], adminPassword: 'not-used-here' })
    const post = (app: typeof a.app, ip: string, i: number) =>
      app.request('/v1/reports', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-earshot-key': seed.publicKey,
          'cf-connecting-ip': ip,
          'idempotency-key': `iso-${ip}-${i}`,
        },
        body: JSON.stringify({ message: `Isolate report ${i}` }),
      })
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await post(i % 2 ? b.app : a.app, '203.0.113.7', i)).status)
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429])
    expect((await post(b.app, '198.51.100.1', 99)).status).toBe(202)
    // No client address is stored in the clear.
    const keys = (await a.db.client.execute('SELECT key FROM rate_limits')).rows.map((r) => String(r.key))
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.some((k) => k.includes('203.0.113.7'))).toBe(false)
    clock.advance(60_000)
    expect((await post(a.app, '203.0.113.7', 100)).status).toBe(202)
    a.db.close()
    b.db.close()
  })

  it('counts an IPv6 /64 as one client: rotating addresses inside it does not reset the budget', async () => {
    const url = `file:${join(dir, 'ipv6.db')}`
    const clock = manualClock(Date.UTC(2026, 10, 26, 12, 0, 0))
    const config = {
      ...loadConfig({ EARSHOT_ENV: 'production' }),
      rateLimits: { reportsPerMinute: 3, repeatsPer10Min: 1000 },
    }
    const db = createDatabase(await openNodeClient(url), { groupCommit: false })
    await migrateDatabase(db)
    const deps = createDeps({
      db,
      clock,
      config,
      rateLimiter: databaseRateLimiter(db, clock),
      clientAddress: cloudflareClientAddress,
    })
    const app = createApp(deps)
    const seed = await ensureDemoWorkspace(deps, { origins: [], adminPassword: 'not-used-here' })
    const post = (ip: string, i: number) =>
      app.request('/v1/reports', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-earshot-key': seed.publicKey,
          'cf-connecting-ip': ip,
          'idempotency-key': `v6-${i}-xxxx`,
        },
        body: JSON.stringify({ message: `IPv6 report ${i}` }),
      })
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await post(`2001:db8:7:7::${(i + 1).toString(16)}`, i)).status)
    expect(statuses).toEqual([202, 202, 202, 429, 429])
    // The neighbouring /64 is another customer.
    expect((await post('2001:db8:7:8::1', 9)).status).toBe(202)
    db.close()
  })
})
