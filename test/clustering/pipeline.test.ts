import { afterEach, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { createClient } from '@libsql/client'
import { createDeps } from '../../worker/app.js'
import { manualClock } from '../../worker/clock.js'
import { createDatabase } from '../../worker/db/client.js'
import { openNodeClient } from '../../worker/db/node-client.js'
import type { Deps } from '../../worker/domain/shared/deps.js'
import { currentLease, LeaseHeld, type BatchStep } from '../../worker/domain/pipeline/index.js'
import {
  createProject,
  createWorkspace,
  findProjectBySlug,
  type Project,
} from '../../worker/domain/projects/projects.js'
import { eraseReporter } from '../../worker/domain/privacy/privacy.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { checkPipeline } from '../../scripts/pipeline-check.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { clusterOf } from '../support/pipeline.js'

let t: TestApp
const others: { close(): void }[] = []
afterEach(() => {
  for (const o of others.splice(0)) o.close()
  t?.close()
})

const TEXTS = [
  'Checkout button does nothing when I click it',
  'checkout button not working on the cart page',
  'The fonts look different since this morning',
  'Where did the pricing page go?',
  '结账按钮点击没有反应',
  '页面字体看起来不一样了',
  'Payment failed with error 502',
  'Images are not loading on product pages',
]

async function demo(deps: Pick<Deps, 'db'> = t.deps): Promise<Project> {
  return (await findProjectBySlug(deps.db.orm, 'demo'))!
}

async function send(n: number, from = 0, deps: Deps = t.deps, project?: Project) {
  const p = project ?? (await demo(deps))
  const ids: string[] = []
  for (let i = from; i < from + n; i++) {
    t.clock.advance(1000)
    const r = await submitReport(
      deps,
      p,
      {
        message: TEXTS[i % TEXTS.length]!,
        reporter_id: `r${i % 5}`,
        release: `web@${i % 3}`,
        route: i % 2 ? '/checkout' : '/pricing',
        locale: i % 4 ? 'en-GB' : 'zh-CN',
      },
      { idempotencyKey: `pl-${p.id}-${i}` },
    )
    ids.push(r.id)
  }
  return ids
}

const check = async () => {
  const client = createClient({ url: t.url })
  try {
    return await checkPipeline(client)
  } finally {
    client.close()
  }
}

/** Another process on the same database file: its own connection, dependencies and pipeline runner. */
async function secondProcess(pipeline: Partial<Deps['pipeline']['options']> = {}): Promise<Deps> {
  const db = createDatabase(await openNodeClient(t.url))
  others.push(db)
  return createDeps({ db, clock: t.clock, config: t.deps.config, pipeline: { exclusive: true, ...pipeline } })
}

describe('report pipeline', () => {
  it('acknowledges first, then processes each report once, any batch size, counters equal a recount', async () => {
    for (const batchSize of [1, 3, 256]) {
      t = await createTestApp({ pipeline: { batchSize } })
      const second = await t.db.write(async (tx) => {
        const ws = await createWorkspace(tx, t.deps, 'Other')
        return createProject(tx, t.deps, { workspaceId: ws.id, name: 'Other', slug: 'other', allowedOrigins: [] })
      })
      const ids = [...(await send(11)), ...(await send(6, 0, t.deps, second)), ...(await send(5, 11))]
      expect((await check()).problems).toEqual(['22 reports still wait for the pipeline'])
      const batches: number[] = []
      t.deps.pipeline.onBatch((b) => batches.push(b.processed.length))
      expect(await t.deps.pipeline.drain()).toBe(22)
      expect(batches.every((n) => n <= batchSize)).toBe(true)
      expect(batches.reduce((a, b) => a + b, 0)).toBe(22)
      // Nothing is processed twice: a second drain finds nothing.
      expect(await t.deps.pipeline.drain()).toBe(0)
      const result = await check()
      expect(result.problems, `batch size ${batchSize}`).toEqual([])
      expect(result.clustered).toBe(22)
      // The same problem in the same words lands in the same cluster whatever the batch size.
      expect(await clusterOf(t.deps, ids[0]!)).toBe(await clusterOf(t.deps, ids[8]!))
      t.close()
    }
    t = undefined as never
  })

  it('counts a public-API client by its stored address hash for surges, forgetting it once processed', async () => {
    t = await createTestApp()
    const p = await demo()
    // Two "people" from one address (the ids are the client's own invention): one reporter for surges.
    const a = await submitReport(
      t.deps,
      p,
      { message: 'Search returns nothing', reporter_id: 'made-up-1' },
      { clientKey: 'hash-of-one-address' },
    )
    const b = await submitReport(
      t.deps,
      p,
      { message: 'Search returns nothing', reporter_id: 'made-up-2' },
      { clientKey: 'hash-of-one-address' },
    )
    const keys = async () =>
      (
        await t.db.orm.all<{ client_key: string | null }>(
          sql`SELECT client_key FROM reports WHERE id IN (${a.id}, ${b.id})`,
        )
      ).map((r) => r.client_key)
    expect(await keys()).toEqual(['hash-of-one-address', 'hash-of-one-address'])
    expect(await t.deps.pipeline.drain()).toBe(2)
    const reporters = await t.db.orm.all<{ reporter: string }>(
      sql`SELECT DISTINCT reporter FROM surge_reporters WHERE scope = '*'`,
    )
    expect(reporters).toEqual([{ reporter: 'a:hash-of-one-address' }])
    expect(await keys()).toEqual([null, null])
  })

  it('copies a linked incident onto reports that reach its cluster later', async () => {
    t = await createTestApp()
    const [first] = await send(1)
    const cluster = (await clusterOf(t.deps, first!))!
    await t.db.write((tx) => tx.run(sql`UPDATE clusters SET incident_id = 'inc_x' WHERE id = ${cluster}`))
    const [later] = await send(1, 8)
    const row = (
      await t.db.orm.all<{ incident_id: string | null; cluster_id: string | null }>(
        sql`SELECT incident_id, cluster_id FROM reports WHERE id = ${later}`,
      )
    )[0]!
    expect(row).toEqual({ incident_id: null, cluster_id: null }) // waiting: no cluster yet, so no incident yet
    expect(await clusterOf(t.deps, later!)).toBe(cluster)
    expect(
      (await t.db.orm.all<{ incident_id: string }>(sql`SELECT incident_id FROM reports WHERE id = ${later}`))[0]!
        .incident_id,
    ).toBe('inc_x')
  })

  it('throws a batch away and computes it again when a report is erased while the batch is computed', async () => {
    let erase: (() => Promise<unknown>) | undefined
    t = await createTestApp({
      pipeline: {
        onStep: async (step: BatchStep) => {
          if (step !== 'computed' || !erase) return
          const run = erase
          erase = undefined
          await run() // another request erases a reporter of this very batch before it is written
        },
      },
    })
    await send(10)
    erase = async () => eraseReporter(t.deps, (await demo()).workspaceId, { reporterId: 'r1' })
    expect(await t.deps.pipeline.drain()).toBe(8)
    const result = await check()
    expect(result.problems).toEqual([])
    expect(result.reports).toBe(8)
    expect(result.clustered).toBe(8)
  })

  it('lets one runner work at a time across processes, and another take over once the lease lapses', async () => {
    const wall = manualClock(Date.UTC(2026, 10, 20, 9, 0, 0))
    t = await createTestApp({
      pipeline: { exclusive: false, holder: 'runner-a', wallNow: () => wall.now(), leaseMs: 10_000 },
    })
    const b = await secondProcess({ exclusive: false, holder: 'runner-b', wallNow: () => wall.now(), leaseMs: 10_000 })
    await send(3)
    expect(await t.deps.pipeline.drain()).toBe(3)
    expect(await currentLease(t.db.orm)).toEqual({ holder: 'runner-a', expiresAt: wall.now() + 10_000 })

    await send(2, 3, b)
    // Runner A holds the lease: B stores reports but does not process them.
    await expect(b.pipeline.runBatch()).rejects.toBeInstanceOf(LeaseHeld)
    expect((await check()).problems).toEqual(['2 reports still wait for the pipeline'])

    // A dies without giving the lease back. Once it lapses, B takes over and processes what waits.
    wall.advance(10_001)
    expect(await b.pipeline.drain()).toBe(2)
    expect((await currentLease(t.db.orm))?.holder).toBe('runner-b')
    // A comes back: now it is A that waits.
    await send(1, 5)
    await expect(t.deps.pipeline.runBatch()).rejects.toBeInstanceOf(LeaseHeld)
    expect(await b.pipeline.drain()).toBe(1)
    expect((await check()).problems).toEqual([])
  })

  it('refuses to write a batch computed by a runner whose lease lapsed meanwhile: each report once', async () => {
    const wall = manualClock(Date.UTC(2026, 10, 20, 9, 0, 0))
    let stall: (() => Promise<void>) | undefined
    t = await createTestApp({
      pipeline: {
        exclusive: false,
        holder: 'runner-a',
        wallNow: () => wall.now(),
        onStep: async (step) => {
          if (step === 'computed' && stall) await stall()
        },
      },
    })
    const b = await secondProcess({ exclusive: false, holder: 'runner-b', wallNow: () => wall.now() })
    await send(1)
    await t.deps.pipeline.drain() // A holds the lease
    await send(4, 1)
    // A computes a batch, then stalls (a long GC pause, a frozen VM) past its lease; B takes over.
    stall = async () => {
      stall = undefined
      wall.advance(20_000)
      expect(await b.pipeline.drain()).toBe(4)
    }
    await expect(t.deps.pipeline.runBatch()).rejects.toBeInstanceOf(LeaseHeld)
    const result = await check()
    expect(result.problems).toEqual([])
    expect(result.clustered).toBe(5)
  })
})

describe('engine memory', () => {
  it('forgets what a responder changed in this process: a report joins the merged cluster', async () => {
    t = await createTestApp()
    const project = await demo()
    const x = await submitReport(t.deps, project, { message: 'invoices download as empty pdf files' })
    const y = await submitReport(t.deps, project, { message: 'login page shows a blank screen' })
    const [cx, cy] = [await clusterOf(t.deps, x.id), await clusterOf(t.deps, y.id)]
    expect(cx).not.toBe(cy)
    expect(t.deps.engine.memory.peek(project.id)?.size.centroids).toBe(2)
    await t.deps.engine.merge(cx!, cy!, null)
    const again = await submitReport(t.deps, project, { message: 'invoices download as empty pdf files' })
    expect(await clusterOf(t.deps, again.id)).toBe(cy)
    expect((await check()).problems).toEqual([])
  })

  it('is dropped when another process changes the state (the engine version moved)', async () => {
    t = await createTestApp()
    const project = await demo()
    const x = await submitReport(t.deps, project, { message: 'invoices download as empty pdf files' })
    const y = await submitReport(t.deps, project, { message: 'login page shows a blank screen' })
    const [cx, cy] = [await clusterOf(t.deps, x.id), await clusterOf(t.deps, y.id)]
    const other = await secondProcess()
    await other.engine.merge(cx!, cy!, null)
    const again = await submitReport(t.deps, project, { message: 'invoices download as empty pdf files' })
    expect(await clusterOf(t.deps, again.id)).toBe(cy)
    expect((await check()).problems).toEqual([])
  })

  it('computes a batch again when the state changes while the batch is computed', async () => {
    let during: (() => Promise<unknown>) | undefined
    t = await createTestApp({
      pipeline: {
        onStep: async (step) => {
          if (step !== 'computed' || !during) return
          const run = during
          during = undefined
          await run()
        },
      },
    })
    const project = await demo()
    const x = await submitReport(t.deps, project, { message: 'invoices download as empty pdf files' })
    const y = await submitReport(t.deps, project, { message: 'login page shows a blank screen' })
    const [cx, cy] = [await clusterOf(t.deps, x.id), await clusterOf(t.deps, y.id)]
    const again = await submitReport(t.deps, project, { message: 'invoices download as empty pdf files' })
    const other = await secondProcess()
    // The batch was computed against cluster x; a responder elsewhere merges x into y before it is written.
    during = () => other.engine.merge(cx!, cy!, null)
    expect(await t.deps.pipeline.drain()).toBe(1)
    expect(await clusterOf(t.deps, again.id)).toBe(cy)
    expect((await check()).problems).toEqual([])
  })
})
