import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { clusterStats, resolveCluster } from '../../worker/domain/clustering/index.js'
import { moveReportTo } from '../../worker/domain/clustering/merge.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { openHarness, type Harness } from '../../scripts/clustering/replay.js'

let h: Harness
afterEach(() => h?.close())

/** A report through the intake, clustered by the pipeline (waited for). */
async function report(message: string, extra: Record<string, unknown> = {}) {
  h.clock.advance(1000)
  const accepted = await submitReport(h.deps, h.project, { message, ...extra } as never, {
    idempotencyKey: `k-${Math.random()}`,
  })
  await h.deps.pipeline.drain()
  return { ...accepted, clusterId: await clusterOf(accepted.id) }
}

const clusterOf = async (reportId: string) =>
  (await h.db.orm.all<{ cluster_id: string }>(sql`SELECT cluster_id FROM reports WHERE id = ${reportId}`))[0]!
    .cluster_id

const active = async () =>
  (
    await h.db.orm.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM clusters WHERE project_id = ${h.project.id} AND merged_into_id IS NULL`,
    )
  )[0]!.n

describe('online assignment', () => {
  it('groups reports about one problem and keeps others apart, in English and Chinese', async () => {
    h = await openHarness()
    const a = await report('Card payment declined at checkout')
    const b = await report('my card payments keep declining at checkout!!')
    const c = await report('The fonts look different on the pricing page')
    const d = await report('字体怎么变了，页面上的字体不一样')
    const e = await report('页面字体变了')
    expect(b.clusterId).toBe(a.clusterId)
    expect(c.clusterId).not.toBe(a.clusterId)
    expect(e.clusterId).toBe(d.clusterId)
    // Chinese and English reports of the font problem meet through concepts (issue 13), and stay
    // apart from the payment problem.
    expect(d.clusterId).toBe(c.clusterId)
    expect(d.clusterId).not.toBe(a.clusterId)
  })

  it('uses captured errors, and keeps counts, reporters and breakdowns', async () => {
    h = await openHarness()
    const ua =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'
    const err = { errors: [{ message: 'TypeError: cannot read "price" of undefined at 12:40' }], user_agent: ua }
    const a = await report('nothing happens', {
      route: '/cart/123',
      release: 'v1.2',
      locale: 'en-GB',
      reporter_id: 'u1',
      context: err,
    })
    const b = await report('button does nothing', {
      route: '/cart/456',
      release: 'v1.2',
      locale: 'en-GB',
      reporter_id: 'u2',
      context: err,
    })
    const c = await report('button does nothing again', {
      route: '/cart/456',
      release: 'v1.3',
      reporter_id: 'u2',
      context: err,
    })
    expect(b.clusterId).toBe(a.clusterId)
    expect(c.clusterId).toBe(a.clusterId)
    const stats = (await clusterStats(h.db.orm, a.clusterId!))!
    expect(stats.reportCount).toBe(3)
    expect(stats.reporterCount).toBe(2)
    expect(stats.firstSeenAt).toBeLessThan(stats.lastSeenAt)
    expect(stats.breakdowns.route).toEqual([{ value: '/cart/:id', count: 3 }])
    expect(stats.breakdowns.release).toEqual([
      { value: 'v1.2', count: 2 },
      { value: 'v1.3', count: 1 },
    ])
    expect(stats.breakdowns.browser).toEqual([{ value: 'Chrome 131', count: 3 }])
    expect(stats.breakdowns.locale).toEqual([{ value: 'en-GB', count: 2 }])
    expect(stats.title.length).toBeGreaterThan(0)
  })
})

describe('responder corrections', () => {
  it('refinement merges clusters that drifted together, but never a pair kept apart by hand', async () => {
    h = await openHarness()
    const a = await report('checkout payment declined with visa card')
    const b = await report('checkout payment declined with visa card')
    expect(b.clusterId).toBe(a.clusterId)
    // Without a record (as if ingest had split them), refinement merges them back: the control.
    const split = await h.deps.engine.write((tx, change) => moveReportTo(tx, change, b.id, null, h.clock.now()))
    await h.db.write(async (tx) => {
      await tx.run(sql`UPDATE report_features SET pinned = 0 WHERE report_id = ${b.id}`)
    })
    expect(await active()).toBe(2)
    h.clock.advance(60_000)
    const r1 = await h.deps.engine.refine(h.project.id)
    expect(r1.merged).toBe(1)
    expect(await clusterOf(a.id)).toBe(await clusterOf(b.id))
    expect(await resolveCluster(h.db.orm, split.to)).toBe(await clusterOf(a.id))

    // A responder moves b out: origin and destination stay apart, and b stays where it was put.
    const moved = await h.deps.engine.move([b.id], {}, 'resp_1')
    h.clock.advance(60_000)
    const r2 = await h.deps.engine.refine(h.project.id)
    expect(r2.merged).toBe(0)
    expect(await clusterOf(b.id)).toBe(moved)
    expect(await clusterOf(a.id)).not.toBe(moved)
  })

  it('never merges clusters marked not related', async () => {
    h = await openHarness()
    const a = await report('search results are empty')
    const b = await report('search results are empty')
    const split = await h.deps.engine.write((tx, change) => moveReportTo(tx, change, b.id, null, h.clock.now()))
    await h.db.write((tx) => tx.run(sql`UPDATE report_features SET pinned = 0 WHERE report_id = ${b.id}`))
    await h.deps.engine.markNotRelated(a.clusterId!, split.to, null)
    h.clock.advance(60_000)
    const r = await h.deps.engine.refine(h.project.id)
    expect(r.merged).toBe(0)
    expect(await clusterOf(b.id)).toBe(split.to)
  })

  it('routes new reports to the target of a hand merge, never to the merged-away cluster', async () => {
    h = await openHarness()
    const a = await report('login page shows a blank screen')
    const c = await report('invoices download as empty pdf files')
    expect(c.clusterId).not.toBe(a.clusterId)
    const target = await h.deps.engine.merge(a.clusterId!, c.clusterId!, null)
    expect(target).toBe(c.clusterId)
    expect(await clusterOf(a.id)).toBe(c.clusterId)
    const again = await report('login page shows a blank screen')
    expect(again.clusterId).toBe(c.clusterId)
    const stats = (await clusterStats(h.db.orm, a.clusterId!))!
    expect(stats.id).toBe(c.clusterId)
    expect(stats.reportCount).toBe(3)
    const corrections = await h.db.orm.all<{ kind: string }>(sql`SELECT kind FROM cluster_corrections`)
    expect(corrections.map((r) => r.kind)).toEqual(['merge'])
  })
})

describe('CLI', () => {
  it('prints the cluster id the server path stored for each row, in file order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-cli-'))
    try {
      const csv = join(dir, 'in.csv')
      const db = join(dir, 'out.db')
      writeFileSync(
        csv,
        'text,route,label\n' +
          '"Payment declined, card ending 4242",/checkout,x\n' +
          'fonts look different,/pricing,y\n' +
          'payment declining again,/checkout/2,x\n' +
          '字体变了,/pricing,y\n',
      )
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/cluster.ts', '--input', csv, '--db', db, '--no-refine'],
        {
          encoding: 'utf8',
        },
      )
      const ids = out.trim().split('\n')
      expect(ids).toHaveLength(4)
      expect(ids[2]).toBe(ids[0])
      expect(ids[1]).not.toBe(ids[0])
      const client = createClient({ url: `file:${db}` })
      const rows = await client.execute(
        "SELECT cluster_id FROM reports WHERE idempotency_key LIKE 'replay-row-%' ORDER BY id",
      )
      client.close()
      expect(rows.rows.map((r) => r.cluster_id)).toEqual(ids)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
