// The report pipeline on Workers: intake stores a report and sends its id to the Cloudflare Queue
// (Miniflare's local queue from wrangler.toml); the same Worker's queue() handler clusters it and
// delivers the surge webhook right away. All against a real sqld, with a counting proxy in front
// of it so the database requests are counted where they arrive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { createClient as createWebClient } from '@libsql/client/web'
import { createDeps } from '../../worker/app.js'
import { systemClock } from '../../worker/clock.js'
import { loadConfig } from '../../worker/config.js'
import { createDatabase } from '../../worker/db/client.js'
import { ensureDemoWorkspace } from '../../worker/demo/seed.js'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import { declareIncident } from '../../worker/domain/incidents/incidents.js'
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy.js'
import { startSqld, type Sqld } from '../support/sqld.js'
import { startWorkerd, type Workerd } from '../support/workerd.js'
import { startReceiver } from '../notifications/receiver.js'
import { ensureBuilt, ROOT } from './build-output.js'

const ORIGIN = 'https://shop.example.com'

let sqld: Sqld
let proxy: CountingProxy
let worker: Workerd
let base: URL
let publicKey: string
let projectId: string

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
  await promisify(execFile)('node', ['--import', 'tsx', 'scripts/db-migrate.ts'], {
    cwd: ROOT,
    env: { ...process.env, LIBSQL_URL: sqld.url, LIBSQL_AUTH_TOKEN: sqld.authToken, TURSO_DATABASE_URL: '' },
  })
  const seedDb = createDatabase(createWebClient({ url: sqld.url, authToken: sqld.authToken }))
  const seedDeps = createDeps({ db: seedDb, clock: systemClock, config: loadConfig({ EARSHOT_ENV: 'test' }) })
  const seed = await ensureDemoWorkspace(seedDeps, {
    origins: [ORIGIN],
    adminEmail: 'admin@example.com',
    adminPassword: 'queue test password',
  })
  publicKey = seed.publicKey
  projectId = String((await query('SELECT id FROM projects WHERE public_key = ?', [publicKey]))[0]!.id)
  seedDb.close()

  proxy = await startCountingProxy(sqld.url)
  ;({ worker, url: base } = await startWorkerd({
    bindings: {
      LIBSQL_URL: { type: 'plain_text', value: proxy.url },
      LIBSQL_AUTH_TOKEN: { type: 'secret_text', value: sqld.authToken! },
      EARSHOT_ENV: { type: 'plain_text', value: 'test' },
      // Reads limited (3 per minute per key + address) by a rate-limiting binding, the rest unlimited (test).
      EARSHOT_RATE_LIMIT_READS_PER_MINUTE: { type: 'plain_text', value: '3' },
      RATE_LIMIT_READS: { type: 'ratelimit', namespace_id: '9002', simple: { limit: 3, period: 60 } },
    },
  }))
}, 240_000)

afterAll(async () => {
  await worker?.dispose()
  await proxy?.close()
  await sqld?.close()
})

describe('report pipeline on Workers (Cloudflare Queue)', () => {
  it('clusters a report through the queue consumer, without any cron run', async () => {
    const res = await postReport(
      { message: 'Queue: the invoice download gives a blank page' },
      { 'Idempotency-Key': 'wq-one-0001' },
    )
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: string }
    // Nothing but the queue runs the pipeline here (the test never calls /__scheduled).
    await expect
      .poll(() => query('SELECT processed_at IS NOT NULL AS done, cluster_id FROM reports WHERE id = ?', [id]), {
        timeout: 20_000,
      })
      .toEqual([expect.objectContaining({ done: 1, cluster_id: expect.any(String) })])
    const [cluster] = await query(
      'SELECT report_count FROM clusters WHERE id = (SELECT cluster_id FROM reports WHERE id = ?)',
      [id],
    )
    expect(Number(cluster!.report_count)).toBe(1)
    // The consumer gave the lease back, so the next invocation (maybe another isolate) need not wait.
    await expect
      .poll(
        async () =>
          Number((await query("SELECT expires_at FROM pipeline_leases WHERE name = 'reports'"))[0]!.expires_at),
        { timeout: 10_000 },
      )
      .toBe(0)
  })

  it('sends the surge webhook from the queue consumer after the crossing report', async () => {
    const rx = await startReceiver()
    try {
      const seedDb = createDatabase(createWebClient({ url: sqld.url, authToken: sqld.authToken }))
      await createWebhook(createDeps({ db: seedDb, clock: systemClock, config: loadConfig({ EARSHOT_ENV: 'test' }) }), {
        projectId,
        url: rx.url,
        kind: 'slack',
        events: ['surge'],
      })
      seedDb.close()
      // Seven people on seven addresses (surges count an address once).
      for (let i = 0; i < 7; i++) {
        const res = await postReport(
          { message: 'Where did the pricing page go?', reporter_id: `wq-${i}`, release: 'web@9.9.9' },
          { 'Idempotency-Key': `wq-surge-${i}`, 'CF-Connecting-IP': `203.0.113.${10 + i}` },
        )
        expect(res.status).toBe(202)
      }
      await rx.waitFor(1, 30_000)
      expect(JSON.parse(rx.received[0]!.body).text).toMatch(/^Surge in /)
      // Recorded as sent by the consumer right after (the receiver answered before the row was updated).
      await expect
        .poll(() => query("SELECT status FROM outbox WHERE channel = 'webhook' AND target = ?", [rx.url]), {
          timeout: 10_000,
        })
        .toEqual([expect.objectContaining({ status: 'sent' })])
    } finally {
      await rx.close()
    }
  })

  it('makes at most 2 requests to the database before the 202 (counted at the database)', async () => {
    // Warm the isolate (its project-key cache) with one report, then count the next ones.
    expect(
      (await postReport({ message: 'Queue: warm-up report' }, { 'Idempotency-Key': 'wq-count-warm' })).status,
    ).toBe(202)
    const counts: number[] = []
    for (let i = 0; i < 3; i++) {
      // Let the consumer finish first, so every request counted below is the intake's own.
      await proxy.quiet(1500)
      const from = proxy.requests.length
      const res = await postReport(
        { message: `Queue: counted report ${i} about the search box` },
        { 'Idempotency-Key': `wq-count-${i}` },
      )
      expect(res.status).toBe(202)
      const before = proxy.requests.slice(from)
      counts.push(before.length)
      expect(before.length, before.map((r) => r.body.slice(0, 300)).join('\n')).toBeLessThanOrEqual(2)
    }
    expect(counts.every((n) => n >= 1)).toBe(true) // the report itself is one of them: durable before the 202
  })

  it('refuses the 4th read in a minute via the rate-limiting binding, writing nothing to the database', async () => {
    const poll = () =>
      fetch(new URL('/v1/incidents', base), {
        headers: { 'X-Earshot-Key': publicKey, Origin: ORIGIN, 'CF-Connecting-IP': '198.51.100.7' },
      })
    const rowsBefore = await query('SELECT count(*) AS n, coalesce(sum(count), 0) AS hits FROM rate_limits')
    const answers = []
    for (let i = 0; i < 4; i++) answers.push(await poll())
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429])
    const refused = answers[3]!
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another address has its own budget.
    const other = await fetch(new URL('/v1/incidents', base), {
      headers: { 'X-Earshot-Key': publicKey, Origin: ORIGIN, 'CF-Connecting-IP': '198.51.100.8' },
    })
    expect(other.status).toBe(200)
    expect(await query('SELECT count(*) AS n, coalesce(sum(count), 0) AS hits FROM rate_limits')).toEqual(rowsBefore)
  })

  it('refuses a report under a rotated key at once, although the isolate still holds the project for it', async () => {
    expect(
      (await postReport({ message: 'Queue: before the rotation' }, { 'Idempotency-Key': 'wq-rotate-0' })).status,
    ).toBe(202) // cached now
    const rotated = 'pk_rotated_in_queue_test_0001'
    await query('UPDATE projects SET public_key = ? WHERE id = ?', [rotated, projectId])
    try {
      const refused = await postReport({ message: 'Queue: after the rotation' }, { 'Idempotency-Key': 'wq-rotate-1' })
      expect(refused.status).toBe(401)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_key')
      expect(await query("SELECT count(*) AS n FROM reports WHERE idempotency_key = 'wq-rotate-1'")).toEqual([
        expect.objectContaining({ n: 0 }),
      ])
      // The same with a screenshot (the intake's transaction path, not the one-request batch).
      expect(
        (
          await postReport(
            { message: 'Queue: cache the key again' },
            { 'Idempotency-Key': 'wq-rotate-4', 'X-Earshot-Key': rotated },
          )
        ).status,
      ).toBe(202)
      await query('UPDATE projects SET public_key = ? WHERE id = ?', [publicKey, projectId])
      expect(
        (await postReport({ message: 'Queue: old key is back' }, { 'Idempotency-Key': 'wq-rotate-5' })).status,
      ).toBe(202)
      await query('UPDATE projects SET public_key = ? WHERE id = ?', [rotated, projectId])
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        'base64',
      )
      const form = new FormData()
      form.set('report', JSON.stringify({ message: 'Queue: a screenshot under a rotated key' }))
      form.set('screenshot', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'shot.png')
      const withImage = await fetch(new URL('/v1/reports', base), {
        method: 'POST',
        headers: { 'X-Earshot-Key': publicKey, Origin: ORIGIN, 'Idempotency-Key': 'wq-rotate-6' },
        body: form,
      })
      expect(withImage.status).toBe(401)
      expect(await query("SELECT count(*) AS n FROM reports WHERE idempotency_key = 'wq-rotate-6'")).toEqual([
        expect.objectContaining({ n: 0 }),
      ])
      // The copy was dropped: the old key stays refused, the new one works.
      expect(
        (await postReport({ message: 'Queue: after the rotation' }, { 'Idempotency-Key': 'wq-rotate-2' })).status,
      ).toBe(401)
      expect(
        (
          await postReport(
            { message: 'Queue: with the new key' },
            { 'Idempotency-Key': 'wq-rotate-3', 'X-Earshot-Key': rotated },
          )
        ).status,
      ).toBe(202)
    } finally {
      await query('UPDATE projects SET public_key = ? WHERE id = ?', [publicKey, projectId])
    }
  })

  it('caches widget polls briefly (Cache API): a hit reads no database; per reporter, ETag/304, CORS', async () => {
    const seedDb = createDatabase(createWebClient({ url: sqld.url, authToken: sqld.authToken }))
    await declareIncident(createDeps({ db: seedDb, clock: systemClock, config: loadConfig({ EARSHOT_ENV: 'test' }) }), {
      projectId,
      title: 'Checkout is slow',
      impact: 'minor',
      message: 'We are looking into it.',
    })
    seedDb.close()
    // Its own address: reads are limited to 3 per minute per key + address in this Worker.
    const poll = (query = '', headers: Record<string, string> = {}) =>
      fetch(new URL(`/v1/incidents${query}`, base), {
        headers: { 'X-Earshot-Key': publicKey, Origin: ORIGIN, 'CF-Connecting-IP': '198.51.100.20', ...headers },
      })
    await proxy.quiet(1500)
    let from = proxy.requests.length
    const first = await poll('?reporter_id=browser-a')
    expect(first.status).toBe(200)
    const body = await first.text()
    expect(JSON.parse(body).incidents.map((i: { title: string }) => i.title)).toEqual(['Checkout is slow'])
    expect(proxy.requests.length - from).toBeGreaterThan(0) // a miss reads the database

    from = proxy.requests.length
    const second = await poll('?reporter_id=browser-a')
    expect(second.status).toBe(200)
    expect(await second.text()).toBe(body)
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(second.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(proxy.requests.length - from).toBe(0) // a hit: nothing asked of the database

    const revalidated = await poll('?reporter_id=browser-a', {
      'If-None-Match': first.headers.get('etag')!,
      'CF-Connecting-IP': '198.51.100.21',
    })
    expect(revalidated.status).toBe(304)
    expect(revalidated.headers.get('access-control-allow-origin')).toBe(ORIGIN)

    // Another browser is another answer (its own reporter_state), never the first one's.
    const report = await postReport(
      { message: 'Checkout takes ages', reporter_id: 'browser-b' },
      { 'Idempotency-Key': 'wq-cache-b' },
    )
    expect(report.status).toBe(202)
    from = proxy.requests.length
    const otherBrowser = await poll('?reporter_id=browser-b', { 'CF-Connecting-IP': '198.51.100.21' })
    expect(otherBrowser.status).toBe(200)
    expect(proxy.requests.length - from).toBeGreaterThan(0)
  })

  it("the cron is the safety net: a lost message's report is processed after a minute, younger ones left", async () => {
    const now = Date.now()
    // Stored, but no message ever reached the queue (a failed send, or one dropped after its retries).
    await query(
      'INSERT INTO reports (id, project_id, idempotency_key, message, created_at) ' +
        "VALUES ('rep_lost_old', ?, 'wq-lost-old', 'Queue: lost message, old', ?)",
      [projectId, now - 120_000],
    )
    await query(
      'INSERT INTO reports (id, project_id, idempotency_key, message, created_at) ' +
        "VALUES ('rep_lost_new', ?, 'wq-lost-new', 'Queue: lost message, new', ?)",
      [projectId, now],
    )
    expect((await fetch(new URL('/__scheduled?cron=*+*+*+*+*', base))).status).toBe(200)
    // The pipeline takes the oldest waiting reports first, so the young one may be processed in the
    // same batch; what matters is that the old one is, without any queue message.
    await expect
      .poll(() => query("SELECT processed_at IS NOT NULL AS done FROM reports WHERE id = 'rep_lost_old'"), {
        timeout: 20_000,
      })
      .toEqual([expect.objectContaining({ done: 1 })])
    // The cron gave the lease back.
    await expect
      .poll(
        async () =>
          Number((await query("SELECT expires_at FROM pipeline_leases WHERE name = 'reports'"))[0]!.expires_at),
        { timeout: 10_000 },
      )
      .toBe(0)

    // Only young reports waiting: the cron leaves them (the queue's job).
    await query(
      'INSERT INTO reports (id, project_id, idempotency_key, message, created_at) ' +
        "VALUES ('rep_young_only', ?, 'wq-young-only', 'Queue: young, no message', ?)",
      [projectId, Date.now()],
    )
    const before = proxy.requests.length
    expect((await fetch(new URL('/__scheduled?cron=*+*+*+*+*', base))).status).toBe(200)
    await proxy.quiet(1500)
    expect(proxy.requests.length).toBeGreaterThan(before) // the cron ran its jobs
    expect(await query("SELECT processed_at FROM reports WHERE id = 'rep_young_only'")).toEqual([
      expect.objectContaining({ processed_at: null }),
    ])
  })
})
