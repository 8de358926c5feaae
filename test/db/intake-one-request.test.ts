// Intake on a libSQL server is ONE request per report, counted where it reaches the database: the
// real Node entry (startNodeServer on a 127.0.0.1 socket) over a real sqld, with the counting proxy
// in front of sqld. The pipeline is not automatic here and background jobs are off, so every request
// counted while a report is in flight is the intake's own. Also the write queue's shared batch of
// concurrent one-request writes, and what happens when one write of such a batch fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, type Database } from '../../worker/db/client.js'
import { openNodeClient } from '../../worker/db/node-client.js'
import { startNodeServer, type RunningServer } from '../../worker/entries/node-server.js'
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy.js'
import { startSqld, type Sqld } from '../support/sqld.js'

let sqld: Sqld
let proxy: CountingProxy
let server: RunningServer

beforeAll(async () => {
  sqld = await startSqld()
  proxy = await startCountingProxy(sqld.url)
  server = await startNodeServer({
    databaseUrl: proxy.url,
    authToken: sqld.authToken,
    host: '127.0.0.1',
    port: 0,
    env: { EARSHOT_ENV: 'test', EARSHOT_ADMIN_EMAIL: 'admin@example.com', EARSHOT_ADMIN_PASSWORD: 'one trip pw' },
    jobsIntervalMs: 0,
    pipeline: { auto: false },
    log: () => {},
  })
}, 60_000)

afterAll(async () => {
  await server?.close()
  await proxy?.close()
  await sqld?.close()
})

const post = (message: string, key: string) =>
  fetch(`${server.url}/v1/reports`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-earshot-key': server.seed.publicKey,
      origin: server.url,
      'idempotency-key': key,
    },
    body: JSON.stringify({ message }),
  })

/** The requests that reached sqld while `send` ran. */
async function counted(send: () => Promise<unknown>) {
  const from = proxy.requests.length
  await send()
  return proxy.requests.slice(from)
}

const stored = async (key: string) =>
  (await sqld.query('SELECT id FROM reports WHERE idempotency_key = ?', [key])).map((r) => String(r.id))

describe('intake on a libSQL server (Node entry)', () => {
  it('stores each report in ONE request to the database', async () => {
    // The first report of the process also looks the public key up (then kept 15 s).
    const warm = await post('One trip: warm-up, the checkout page is blank', 'ot-warm-up')
    expect(warm.status, await warm.clone().text()).toBe(202)
    for (let i = 0; i < 5; i++) {
      let status = 0
      const requests = await counted(async () => {
        status = (await post(`One trip: report ${i}, the invoice download spins`, `ot-count-${i}`)).status
      })
      expect(status).toBe(202)
      expect(requests.length, requests.map((r) => r.body.slice(0, 200)).join('\n')).toBe(1)
      expect(requests[0]!.body).toContain('INSERT INTO reports')
      expect(await stored(`ot-count-${i}`)).toHaveLength(1)
    }
  })

  it('answers a retry with the first id in one request, and 409 for another body under the key', async () => {
    const first = await post('One trip: retried report about search', 'ot-retry')
    const { id } = (await first.json()) as { id: string }
    let again: Response | undefined
    const requests = await counted(async () => {
      again = await post('One trip: retried report about search', 'ot-retry')
    })
    expect(again!.status).toBe(202)
    expect(((await again!.json()) as { id: string }).id).toBe(id)
    expect(requests).toHaveLength(1)
    const other = await post('One trip: a different body under the same key', 'ot-retry')
    expect(other.status).toBe(409)
    expect(await stored('ot-retry')).toEqual([id])
  })

  it('shares one request among concurrent reports, each stored exactly once', async () => {
    const keys = Array.from({ length: 24 }, (_, i) => `ot-burst-${i}`)
    let statuses: number[] = []
    const requests = await counted(async () => {
      statuses = await Promise.all(
        keys.map((k, i) => post(`One trip: burst report ${i} on login`, k).then((r) => r.status)),
      )
    })
    expect(statuses.every((s) => s === 202)).toBe(true)
    expect(requests.length).toBeLessThanOrEqual(keys.length)
    for (const k of keys) expect(await stored(k)).toHaveLength(1)
  })
})

describe('one-request writes through the write queue (sqld)', () => {
  let db: Database
  beforeAll(async () => {
    db = createDatabase(await openNodeClient(proxy.url, sqld.authToken))
    await sqld.query('CREATE TABLE IF NOT EXISTS ot_rows (k TEXT PRIMARY KEY, v TEXT NOT NULL)')
  })
  afterAll(() => db?.close())

  const insert = (k: string, v: string | null) => [
    { sql: 'INSERT INTO ot_rows (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING', args: [k, v] },
    { sql: 'SELECT v FROM ot_rows WHERE k = ?', args: [k] },
  ]

  it('is on for a libSQL server and off for an embedded file', async () => {
    expect(db.remote).toBe(true)
    expect(db.writeOnce).toBeTypeOf('function')
    const file = createDatabase(await openNodeClient(':memory:'))
    expect(file.remote).toBe(false)
    expect(file.writeOnce).toBeUndefined()
    file.close()
  })

  it('runs writes that arrive together as one batch and hands each its own results', async () => {
    let results: { rows: { v: unknown }[]; rowsAffected: number }[][] = []
    const requests = await counted(async () => {
      results = (await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((k) => db.writeOnce!(insert(`together-${k}`, `value ${k}`))),
      )) as unknown as typeof results
    })
    expect(requests).toHaveLength(1)
    expect(results.map((r) => [r[0]!.rowsAffected, r[1]!.rows[0]!.v])).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((k) => [1, `value ${k}`]),
    )
  })

  it('runs each write alone when one of the batch fails: the others commit, the bad one alone fails', async () => {
    const writes = ['f', 'g', 'bad', 'h'].map((k) =>
      db.writeOnce!(insert(`alone-${k}`, k === 'bad' ? null : `value ${k}`)).then(
        () => 'stored',
        (error: Error) => `failed: ${error.message}`,
      ),
    )
    const outcomes = await Promise.all(writes)
    expect(outcomes.slice(0, 2)).toEqual(['stored', 'stored'])
    expect(outcomes[2]).toMatch(/failed: .*NOT NULL/)
    expect(outcomes[3]).toBe('stored')
    const rows = await sqld.query("SELECT k FROM ot_rows WHERE k LIKE 'alone-%' ORDER BY k")
    expect(rows.map((r) => r.k)).toEqual(['alone-f', 'alone-g', 'alone-h'])
  })
})
