// The pipeline batch on a real libSQL server (sqld), counted at its door by the counting proxy:
// its opening reads travel as one request, the lease and version check travel with the writes,
// and the two checks still refuse what they refused before — a batch computed by a runner whose
// lease lapsed meanwhile, a batch whose engine state moved — with every report processed once.
import { createClient } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkPipeline } from '../../scripts/pipeline-check.js'
import { createDeps } from '../../worker/app.js'
import { manualClock } from '../../worker/clock.js'
import { loadConfig } from '../../worker/config.js'
import { createDatabase, type Database } from '../../worker/db/client.js'
import { migrateDatabase } from '../../worker/db/migrate.js'
import { openNodeClient } from '../../worker/db/node-client.js'
import { ensureDemoWorkspace } from '../../worker/demo/seed.js'
import { LeaseHeld, type BatchStep } from '../../worker/domain/pipeline/index.js'
import { findProjectBySlug, type Project } from '../../worker/domain/projects/index.js'
import { submitReport } from '../../worker/domain/reports/index.js'
import type { Deps } from '../../worker/domain/shared/deps.js'
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy.js'
import { startSqld, type Sqld } from '../support/sqld.js'

let sqld: Sqld
let proxy: CountingProxy
const dbs: Database[] = []
const clock = manualClock(Date.UTC(2026, 10, 20, 9, 0, 0))
const wall = manualClock(Date.UTC(2026, 10, 20, 9, 0, 0))
let step: ((step: BatchStep) => Promise<void>) | undefined

/** One "process" on the shared sqld: its own connection, dependencies and pipeline runner. */
async function runner(holder: string): Promise<Deps> {
  const db = createDatabase(await openNodeClient(proxy.url, sqld.authToken))
  dbs.push(db)
  return createDeps({
    db,
    clock,
    config: loadConfig({ EARSHOT_ENV: 'test' }),
    log: () => {},
    pipeline: { exclusive: false, holder, wallNow: () => wall.now(), onStep: (s) => step?.(s) ?? Promise.resolve() },
  })
}

let a: Deps
let b: Deps
let project: Project

beforeAll(async () => {
  sqld = await startSqld()
  proxy = await startCountingProxy(sqld.url)
  a = await runner('runner-a')
  b = await runner('runner-b')
  await migrateDatabase(a.db)
  await ensureDemoWorkspace(a, { origins: [], adminEmail: 'admin@example.com', adminPassword: 'pipeline pw 1234' })
  project = (await findProjectBySlug(a.db.orm, 'demo'))!
}, 60_000)

afterAll(async () => {
  for (const db of dbs) db.close()
  await proxy?.close()
  await sqld?.close()
})

let n = 0
const TOPICS = [
  'invoices download as empty pdf files',
  'login page shows a blank screen',
  'checkout button does nothing',
]
async function send(count: number, deps: Deps = a, messages?: string[]): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    clock.advance(1000)
    const message = messages?.[i] ?? TOPICS[n % TOPICS.length]!
    const r = await submitReport(deps, project, { message, reporter_id: `r${n % 4}` })
    n++
    ids.push(r.id)
  }
  return ids
}
const clusterOf = async (id: string) =>
  String((await sqld.query('SELECT cluster_id FROM reports WHERE id = ?', [id]))[0]!.cluster_id)

const check = async () => {
  const client = createClient({ url: sqld.url, authToken: sqld.authToken })
  try {
    return await checkPipeline(client)
  } finally {
    client.close()
  }
}

describe('pipeline batch on sqld', () => {
  it('reads in one request and checks lease and versions in the request that writes', async () => {
    await send(6)
    await a.pipeline.runBatch(1) // first batch: takes the lease
    const from = proxy.requests.length
    expect((await a.pipeline.runBatch(5)).processed).toHaveLength(5)
    const bodies = proxy.requests.slice(from).map((r) => r.body)
    const reads = bodies.filter((body) => body.includes('WHERE processed_at IS NULL ORDER BY rowid LIMIT'))
    expect(reads).toHaveLength(1)
    expect(reads[0]).toContain('FROM projects WHERE id IN')
    expect(reads[0]).toContain('FROM engine_versions WHERE project_id IN')
    const writes = bodies.filter((body) => body.includes('UPDATE reports SET cluster_id'))
    expect(writes).toHaveLength(1)
    expect(writes[0]).toContain('INSERT INTO pipeline_leases')
    expect(writes[0]).toContain('CROSS JOIN engine_versions')
    // Nothing else of the lease is asked for on its own inside the transaction.
    expect(bodies.filter((body) => body.includes('INSERT INTO pipeline_leases'))).toHaveLength(1)
    expect((await check()).problems).toEqual([])
  })

  it('refuses the writes of a runner whose lease lapsed while it computed; B processes each once', async () => {
    await send(4)
    step = async (s) => {
      if (s !== 'computed') return
      step = undefined
      wall.advance(20_000) // A stalls past its lease; B takes over and processes the four
      expect(await b.pipeline.drain()).toBe(4)
    }
    await expect(a.pipeline.runBatch()).rejects.toBeInstanceOf(LeaseHeld)
    const result = await check()
    expect(result.problems).toEqual([])
    expect(result.clustered).toBe(10)
  })

  it('computes a batch again when another process moved the engine state meanwhile', async () => {
    const [x, y] = await send(2, b, ['wishlist heart icon missing on mobile', 'dark mode colours unreadable'])
    expect(await b.pipeline.drain()).toBe(2)
    const [cx, cy] = [await clusterOf(x!), await clusterOf(y!)]
    expect(cx).not.toBe(cy)
    const [again] = await send(1, b, ['wishlist heart icon missing on mobile'])
    step = async (s) => {
      if (s !== 'computed') return
      step = undefined
      await a.engine.merge(cx, cy, null) // a responder on the other process merges x into y
    }
    expect(await b.pipeline.drain()).toBe(1)
    // Computed against cluster x, written after the merge: computed again, it joins y.
    expect(await clusterOf(again!)).toBe(cy)
    const result = await check()
    expect(result.problems).toEqual([])
    expect(result.clustered).toBe(13)
  })
})
