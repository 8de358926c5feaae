// The Workers entry, running in workerd through wrangler's dev server, against a real libSQL
// server: sqld (what Turso runs), with a JWT as Turso requires. Migrations are applied by
// `scripts/db-migrate.ts` over that same HTTP path, so this also covers `npm run db:migrate`
// against a remote database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createClient as createWebClient } from '@libsql/client/web'
import { createDeps } from '../../worker/app.js'
import { systemClock } from '../../worker/clock.js'
import { loadConfig } from '../../worker/config.js'
import { createDatabase } from '../../worker/db/client.js'
import { ensureDemoWorkspace } from '../../worker/demo/seed.js'
import { startSqld, type Sqld } from '../support/sqld.js'
import { startWorkerd, type Workerd } from '../support/workerd.js'
import { ensureBuilt, PUBLIC, ROOT } from './build-output.js'

const ORIGIN = 'https://shop.example.com'
const ADMIN_EMAIL = 'admin@example.com'
const ADMIN_PASSWORD = 'workers admin password'

let sqld: Sqld
let worker: Workerd
let base: URL
let publicKey: string

/** Asks the database server directly — not through the worker — what was really stored. */
const query = (sql: string, args: (string | number)[] = []) => sqld.query(sql, args)

function postReport(body: unknown, headers: Record<string, string> = {}) {
  return fetch(new URL('/v1/reports', base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Earshot-Key': publicKey, Origin: ORIGIN, ...headers },
    body: JSON.stringify(body),
  })
}

beforeAll(async () => {
  ensureBuilt()
  sqld = await startSqld()

  // `npm run db:migrate`, pointed at the remote database.
  const migrated = await promisify(execFile)('node', ['--import', 'tsx', 'scripts/db-migrate.ts'], {
    cwd: ROOT,
    env: { ...process.env, LIBSQL_URL: '', TURSO_DATABASE_URL: sqld.url, TURSO_AUTH_TOKEN: sqld.authToken },
  })
  expect(migrated.stdout).toMatch(/applied [1-9]\d* migration\(s\)/)

  // Seed the demo project over HTTP too, with the core's own seeding function.
  const seedDb = createDatabase(createWebClient({ url: sqld.url, authToken: sqld.authToken }))
  const seed = await ensureDemoWorkspace(createDeps({ db: seedDb, clock: systemClock, config: loadConfig({}) }), {
    origins: [ORIGIN],
    adminEmail: ADMIN_EMAIL,
    adminPassword: ADMIN_PASSWORD,
  })
  seedDb.close()
  publicKey = seed.publicKey

  ;({ worker, url: base } = await startWorkerd({
    bindings: {
      // The same names as on Node (test/status/workers.test.ts uses the TURSO_* aliases).
      LIBSQL_URL: { type: 'plain_text', value: sqld.url },
      LIBSQL_AUTH_TOKEN: { type: 'secret_text', value: sqld.authToken! },
      // Production settings otherwise; `test` lets the outbox post to a receiver on 127.0.0.1.
      EARSHOT_ENV: { type: 'plain_text', value: 'test' },
    },
  }))
}, 240_000) // may include `npm run build` when run on its own

afterAll(async () => {
  await worker?.dispose()
  await sqld?.close()
})

describe('Workers entry in workerd', () => {
  it('stores a report durably and answers the same id for the same idempotency key', async () => {
    const res = await postReport(
      { message: 'Checkout button does nothing', page_url: `${ORIGIN}/cart` },
      { 'Idempotency-Key': 'wk-report-1' },
    )
    expect(res.status).toBe(202)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const body = (await res.json()) as { id: string }
    // Stored durably; the answer promises no cluster (the pipeline clusters it afterwards).
    expect(body).toEqual({ id: expect.any(String) })

    const rows = await query('SELECT id, message FROM reports WHERE id = ?', [body.id])
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ message: 'Checkout button does nothing' })

    // A retry repeats the body; the key with another body is refused (issue 11 #9), on Workers too.
    const again = await postReport(
      { message: 'Checkout button does nothing', page_url: `${ORIGIN}/cart` },
      { 'Idempotency-Key': 'wk-report-1' },
    )
    expect(again.status).toBe(202)
    expect(await again.json()).toEqual(body)
    const reused = await postReport({ message: 'Checkout button does nothing' }, { 'Idempotency-Key': 'wk-report-1' })
    expect(reused.status).toBe(409)
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_reused')
    expect((await postReport({ message: 'Squatting a ticket' }, { 'Idempotency-Key': 'ext:ZD-13975' })).status).toBe(
      400,
    )
    expect(await query('SELECT count(*) AS n FROM reports WHERE id = ?', [body.id])).toEqual([
      expect.objectContaining({ n: 1 }),
    ])
  })

  it('counts one surge reporter per address (CF-Connecting-IP), whatever ids it sends; stores no address', async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (
          await postReport(
            { message: 'Coupon field rejects every code', reporter_id: `invented-${i}` },
            { 'Idempotency-Key': `wk-spoof-${i}` },
          )
        ).status,
      ).toBe(202)
    }
    // Surges are counted by the report pipeline (on Workers: the queue consumer; the cron is its safety net).
    expect((await fetch(new URL('/__scheduled?cron=*+*+*+*+*', base))).status).toBe(200)
    await expect
      .poll(
        () =>
          query("SELECT count(*) AS n FROM reports WHERE idempotency_key LIKE 'wk-spoof-%' AND processed_at IS NULL"),
        { timeout: 10_000 },
      )
      .toEqual([expect.objectContaining({ n: 0 })])
    expect(
      await query(
        "SELECT count(*) AS n FROM reports WHERE idempotency_key LIKE 'wk-spoof-%' AND client_key IS NOT NULL",
      ),
    ).toEqual([expect.objectContaining({ n: 0 })])
    const keys = (await query("SELECT DISTINCT reporter FROM surge_reporters WHERE scope = '*'")).map((r) =>
      String(r.reporter),
    )
    expect(keys.filter((k) => k.startsWith('r:invented'))).toEqual([]) // the invented ids do not count
    expect(keys.length).toBeGreaterThan(0)
    for (const k of keys) expect(k).toMatch(/^a:[0-9a-f]{32}$/) // one keyed hash per address, never the address
  })

  it('stores every one of many concurrent reports (one isolate, many requests in flight)', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        postReport({ message: `Concurrent report ${i}: page is blank` }, { 'Idempotency-Key': `wk-burst-${i}` }),
      ),
    )
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ id: string }>))
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(202))
    const ids = bodies.map((b) => b.id)
    const stored = await query(`SELECT id FROM reports WHERE id IN (${ids.map(() => '?').join(',')})`, ids)
    expect(stored).toHaveLength(12)
  })

  it('stores a screenshot in R2 (Miniflare) with its report, shows it to a responder; erasure deletes it', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    )
    const form = new FormData()
    form.set('report', JSON.stringify({ message: 'Workers: the map does not load', email: 'erase-me@example.com' }))
    form.set('screenshot', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'shot.png')
    const res = await fetch(new URL('/v1/reports', base), {
      method: 'POST',
      headers: { 'X-Earshot-Key': publicKey, Origin: ORIGIN, 'Idempotency-Key': 'wk-shot-0001' },
      body: form,
    })
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: string }
    const rows = await query('SELECT content_type, size, storage_key FROM attachments WHERE report_id = ?', [id])
    expect(rows).toEqual([expect.objectContaining({ content_type: 'image/png', size: png.length })])

    const session = await fetch(new URL('/api/session', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    })
    expect(session.status).toBe(200)
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!
    const image = await fetch(new URL(`/api/reports/${id}/attachment`, base), { headers: { cookie } })
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(image.headers.get('x-content-type-options')).toBe('nosniff')
    expect(image.headers.get('content-security-policy')).toMatch(/sandbox/)
    expect(Buffer.from(await image.arrayBuffer())).toEqual(png)
    expect((await fetch(new URL(`/api/reports/${id}/attachment`, base))).status).toBe(401)

    const ws = String((await query('SELECT workspace_id FROM projects LIMIT 1'))[0]!.workspace_id)
    const erase = await fetch(new URL(`/api/workspaces/${ws}/privacy/erase`, base), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: base.origin },
      body: JSON.stringify({ email: 'erase-me@example.com' }),
    })
    expect(erase.status).toBe(200)
    expect(((await erase.json()) as { erased: { attachments: number } }).erased.attachments).toBe(1)
    expect((await fetch(new URL(`/api/reports/${id}/attachment`, base), { headers: { cookie } })).status).toBe(404)
  })

  it('answers the CORS preflight the widget sends', async () => {
    const res = await fetch(new URL('/v1/reports', base), {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-earshot-key,idempotency-key',
      },
    })
    expect(res.status).toBeLessThan(300)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-earshot-key')
  })

  it('keeps the public API rules: bad key, foreign origin, bad body', async () => {
    const badKey = await postReport({ message: 'x' }, { 'X-Earshot-Key': 'pk_nope' })
    expect(badKey.status).toBe(401)
    expect(((await badKey.json()) as any).error.code).toBe('invalid_key')

    const foreign = await postReport({ message: 'x' }, { Origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(((await foreign.json()) as any).error.code).toBe('origin_not_allowed')

    const empty = await postReport({ email: 'a@b.c' })
    expect(empty.status).toBe(400)
    expect(((await empty.json()) as any).error.code).toBe('invalid_body')
  })

  it('serves /health and /openapi.json from the app', async () => {
    const health = await fetch(new URL('/health', base))
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ ok: true })

    const openapi = await fetch(new URL('/openapi.json', base))
    expect(openapi.status).toBe(200)
    const doc = (await openapi.json()) as any
    expect(doc.paths).toHaveProperty('/v1/reports')
    // Generated in workerd from the same routes as on Node: every JSON route, zod's schemas included.
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(70)
    expect(doc.components.schemas.ClusterPage.required).toContain('timeline')
  })

  it('serves the built widget and dashboard from the ASSETS binding', async () => {
    const widget = await fetch(new URL('/widget.js', base))
    expect(widget.status).toBe(200)
    expect(widget.headers.get('content-type')).toMatch(/javascript/)
    expect(await widget.text()).toBe(readFileSync(join(PUBLIC, 'widget.js'), 'utf8'))

    const indexHtml = readFileSync(join(PUBLIC, 'dashboard/index.html'), 'utf8')
    const dashboard = await fetch(new URL('/dashboard/', base))
    expect(dashboard.status).toBe(200)
    expect(await dashboard.text()).toBe(indexHtml)
    const bare = await fetch(new URL('/dashboard', base), { redirect: 'manual' })
    expect(bare.status).toBeGreaterThanOrEqual(301)
    expect(bare.status).toBeLessThanOrEqual(308)
    expect(new URL(bare.headers.get('location')!, base).pathname).toBe('/dashboard/')
    // A client-side route of the dashboard gets the same page.
    const deepLink = await fetch(new URL('/dashboard/clusters/some-id', base))
    expect(deepLink.status).toBe(200)
    expect(await deepLink.text()).toBe(indexHtml)

    // Neither a route nor a file: the app's JSON 404.
    const nothing = await fetch(new URL('/no-such-file.js', base))
    expect(nothing.status).toBe(404)
    expect(((await nothing.json()) as any).error.code).toBe('not_found')
  })

  it('runs the background jobs from the cron trigger: expires sessions, delivers the outbox', async () => {
    const [responder] = await query('SELECT id FROM responders LIMIT 1')
    const now = Date.now()
    const received: { headers: Record<string, unknown>; body: string }[] = []
    const receiver = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        received.push({ headers: req.headers, body })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', () => ok()))
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    try {
      const direct = sqld.client()
      await direct.batch([
        {
          sql: 'INSERT INTO sessions (token_hash, responder_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
          args: ['expired-session-hash', responder!.id as string, now - 120_000, now - 60_000],
        },
        {
          sql:
            'INSERT INTO outbox (id, channel, target, payload, dedupe_key, next_attempt_at, created_at) ' +
            "VALUES ('obx_workers_cron', 'webhook', ?, ?, 'workers-cron-test', ?, ?)",
          args: [hookUrl, JSON.stringify({ event: 'test.ping', hello: 'from workerd' }), now - 1000, now - 1000],
        },
      ])
      direct.close()

      const res = await fetch(new URL('/__scheduled?cron=*+*+*+*+*', base))
      expect(res.status).toBe(200)
      // The jobs run under waitUntil, after the response: poll for their effects.
      await expect
        .poll(() => query("SELECT count(*) AS n FROM sessions WHERE token_hash = 'expired-session-hash'"), {
          timeout: 10_000,
        })
        .toEqual([expect.objectContaining({ n: 0 })])
      await expect
        .poll(() => query("SELECT status FROM outbox WHERE id = 'obx_workers_cron'"), { timeout: 10_000 })
        .toEqual([expect.objectContaining({ status: 'sent' })])
      expect(received).toHaveLength(1)
      expect(JSON.parse(received[0]!.body)).toEqual({ event: 'test.ping', hello: 'from workerd' })
      expect(received[0]!.headers['x-earshot-delivery']).toBe('obx_workers_cron')
    } finally {
      await new Promise((ok) => receiver.close(ok))
    }
  })

  it('answers /health 503 while the database answers but refuses writes, 200 once it takes them again', async () => {
    // Writes to the probe's row fail the way a full disk fails them (test/trust/disk-full.test.ts
    // does it with a real file-size limit on Node); triggers work on any libSQL server.
    const refuse = (op: string) =>
      `CREATE TRIGGER health_probe_refused_${op} BEFORE ${op} ON health_probes
        BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`
    await query(refuse('INSERT'))
    await query(refuse('UPDATE'))
    try {
      // A probe's outcome stands a few seconds: wait for the next one.
      await expect
        .poll(async () => (await fetch(new URL('/health', base))).status, { timeout: 20_000, interval: 500 })
        .toBe(503)
      const health = await fetch(new URL('/health', base))
      expect(health.headers.get('retry-after')).toMatch(/^\d+$/)
      expect(await health.json()).toEqual({ ok: false, database: 'up', writable: false })
    } finally {
      await query('DROP TRIGGER health_probe_refused_INSERT')
      await query('DROP TRIGGER health_probe_refused_UPDATE')
    }
    await expect
      .poll(async () => (await fetch(new URL('/health', base))).status, { timeout: 20_000, interval: 500 })
      .toBe(200)
    expect(await (await fetch(new URL('/health', base))).json()).toEqual({ ok: true, database: 'up', writable: true })
  })

  it('answers 503 while the database is down, and recovers when it is back', async () => {
    await sqld.stop()

    const health = await fetch(new URL('/health', base))
    expect(health.status).toBe(503)
    expect(await health.json()).toMatchObject({ ok: false })

    const report = await postReport({ message: 'Sent while the database is down' }, { 'Idempotency-Key': 'wk-down-1' })
    expect(report.status).toBe(503)
    expect(report.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(((await report.json()) as any).error.code).toBe('database_unavailable')

    await sqld.start() // same port, same files
    const back = await fetch(new URL('/health', base))
    expect(back.status).toBe(200)
    const retried = await postReport({ message: 'Sent while the database is down' }, { 'Idempotency-Key': 'wk-down-1' })
    expect(retried.status).toBe(202)
  })
})

describe('Workers entry without its database secret', () => {
  it('says it is misconfigured (even with .dev.vars and .env beside wrangler.toml); widget still served', async () => {
    // A checkout whose wrangler.toml has the README's local-run `.dev.vars` (and a `.env`) beside
    // it, both naming a working database: the test Worker must see neither.
    const checkout = mkdtempSync(join(tmpdir(), 'earshot-checkout-'))
    for (const entry of ['wrangler.toml', 'package.json', 'tsconfig.json', 'worker', 'dist', 'node_modules']) {
      symlinkSync(join(ROOT, entry), join(checkout, entry))
    }
    const leaked =
      `TURSO_DATABASE_URL=${sqld.url}\nTURSO_AUTH_TOKEN=${sqld.authToken}\n` +
      'EARSHOT_DEMO=true\nEARSHOT_ENV=development\n'
    writeFileSync(join(checkout, '.dev.vars'), leaked)
    writeFileSync(join(checkout, '.env'), leaked)
    const { worker: bare, url } = await startWorkerd({ config: join(checkout, 'wrangler.toml'), logLevel: 'none' })
    try {
      const health = await fetch(new URL('/health', url))
      expect(health.status).toBe(500)
      expect(((await health.json()) as any).error.code).toBe('server_misconfigured')
      // run_worker_first excludes the widget: it never reaches the (broken) Worker.
      const widget = await fetch(new URL('/widget.js', url))
      expect(widget.status).toBe(200)
      expect(await widget.text()).toBe(readFileSync(join(PUBLIC, 'widget.js'), 'utf8'))
      // Everything else does go through the Worker first.
      const dashboard = await fetch(new URL('/dashboard/', url))
      expect(dashboard.status).toBe(500)
    } finally {
      await bare.dispose()
      rmSync(checkout, { recursive: true, force: true })
    }
  })
})
