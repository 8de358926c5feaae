import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNodeServer, type RunningServer } from '../../worker/entries/node-server.js'
import { startSqld, type Sqld } from '../support/sqld.js'
import { startServer, type TestServer } from '../support/server.js'

const post = (base: string, key: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-earshot-key': key, ...headers },
    body: JSON.stringify(body),
  })

describe('retries and concurrent duplicates over real HTTP', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startServer()
  })
  afterAll(() => s.close())

  const rowsFor = async (key: string) =>
    Number(
      (await s.db.client.execute({ sql: 'SELECT count(*) AS n FROM reports WHERE idempotency_key = ?', args: [key] }))
        .rows[0]!.n,
    )

  it('stores one report for 24 concurrent requests with the same idempotency key', async () => {
    const key = 'concurrent-dup-0001'
    // The widget's retries race each other: one commits, every answer names it.
    const answers = await Promise.all(
      Array.from({ length: 24 }, () => post(s.url, s.key, { message: 'Checkout broken' }, { 'idempotency-key': key })),
    )
    expect(answers.map((r) => r.status)).toEqual(Array(24).fill(202))
    const ids = new Set(await Promise.all(answers.map(async (r) => (await r.json()).id)))
    expect(ids.size).toBe(1)
    expect(await rowsFor(key)).toBe(1)
  })

  it('concurrent requests, one key, other bodies: one stored, all others 409, none answered as stored', async () => {
    const key = 'concurrent-dup-0002'
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post(s.url, s.key, { message: `Checkout broken (attempt ${i})` }, { 'idempotency-key': key }),
      ),
    )
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses).toEqual([202, ...Array(11).fill(409)])
    for (const r of answers.filter((a) => a.status === 409))
      expect((await r.json()).error.code).toBe('idempotency_key_reused')
    expect(await rowsFor(key)).toBe(1)
  })

  it('answers a retry after the first answer with the same report, in the body key too', async () => {
    const first = await (
      await post(s.url, s.key, { message: 'Fonts changed', idempotency_key: 'body-retry-0001' })
    ).json()
    const again = await Promise.all(
      [1, 2, 3].map(() => post(s.url, s.key, { message: 'Fonts changed', idempotency_key: 'body-retry-0001' })),
    )
    for (const r of again) expect((await r.json()).id).toBe(first.id)
    expect(await rowsFor('body-retry-0001')).toBe(1)
  })

  it('keeps idempotency keys per project: concurrent mixed keys give one row each', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `mixed-key-${i}-xxxx`)
    const answers = await Promise.all(
      keys.flatMap((k) =>
        [0, 1, 2].map(() => post(s.url, s.key, { message: `Report ${k}` }, { 'idempotency-key': k })),
      ),
    )
    expect(answers.every((r) => r.status === 202)).toBe(true)
    for (const k of keys) expect(await rowsFor(k)).toBe(1)
    const dupes = await s.db.client.execute(
      'SELECT idempotency_key, count(*) AS n FROM reports GROUP BY project_id, idempotency_key HAVING n > 1',
    )
    expect(dupes.rows).toEqual([])
  })
})

describe('database unreachable (libSQL server goes away) on the Node entry', () => {
  let sqld: Sqld
  let server: RunningServer
  let key: string
  const errors: string[] = []

  beforeAll(async () => {
    sqld = await startSqld()
    server = await startNodeServer({
      databaseUrl: sqld.url,
      authToken: sqld.authToken,
      port: 0,
      env: { EARSHOT_ENV: 'test', EARSHOT_ADMIN_PASSWORD: 'faults-test-password' },
      jobsIntervalMs: 0,
      log: (m) => errors.push(m),
    })
    key = server.seed.publicKey
  })
  afterAll(async () => {
    await server?.close().catch(() => {})
    await sqld?.close()
  })

  it('answers 503 + Retry-After while the database is down, /health says so, and recovers', async () => {
    expect(
      (await post(server.url, key, { message: 'Before the outage' }, { 'idempotency-key': 'outage-before-1' })).status,
    ).toBe(202)
    expect((await fetch(`${server.url}/health`)).status).toBe(200)

    await sqld.stop()

    const during = await Promise.all(
      [1, 2, 3].map((i) =>
        post(server.url, key, { message: 'During the outage' }, { 'idempotency-key': `outage-during-${i}` }),
      ),
    )
    for (const res of during) {
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
      expect((await res.json()).error.code).toBe('database_unavailable')
    }
    const health = await fetch(`${server.url}/health`)
    expect(health.status).toBe(503)
    expect(health.headers.get('retry-after')).toMatch(/^\d+$/)
    expect((await health.json()).ok).toBe(false)

    await sqld.start() // same port, same files
    expect((await fetch(`${server.url}/health`)).status).toBe(200)
    // The widget retries with the same keys: each report is stored once.
    for (const i of [1, 2, 3]) {
      expect(
        (await post(server.url, key, { message: 'During the outage' }, { 'idempotency-key': `outage-during-${i}` }))
          .status,
      ).toBe(202)
    }
    const rows = (
      await sqld.query("SELECT idempotency_key FROM reports WHERE idempotency_key LIKE 'outage-%' ORDER BY 1")
    ).map((r) => r.idempotency_key)
    expect(rows).toEqual(['outage-before-1', 'outage-during-1', 'outage-during-2', 'outage-during-3'])
    // An outage is expected, not a bug: nothing was logged as an unexpected error.
    expect(errors.filter((e) => e.includes('unexpected error'))).toEqual([])
  })
})
