// Replays CSV rows through the server's own path on a real libSQL database in a temp file: the
// same dependencies createDeps() builds for the server, every row stored by submitReport and
// clustered by the report pipeline in batches of the server's size (or `batchSize`), with a
// simulated clock and refinement on a simulated interval, exactly as the Node server would run them.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { sql } from 'drizzle-orm'
import { createDeps } from '../../worker/app.js'
import { manualClock } from '../../worker/clock.js'
import { loadConfig } from '../../worker/config.js'
import { createDatabase, type Database } from '../../worker/db/client.js'
import { openNodeClient } from '../../worker/db/node-client.js'
import { migrateDatabase } from '../../worker/db/migrate.js'
import type { RefineOptions } from '../../worker/domain/clustering/index.js'
import type { Deps } from '../../worker/domain/shared/deps.js'
import { DEFAULT_PIPELINE } from '../../worker/domain/pipeline/index.js'
import { createProject, createWorkspace, type Project } from '../../worker/domain/projects/projects.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { ReportInput } from '../../worker/http/schemas.js'

export type Row = Record<string, string>

export function readCsv(path: string): Row[] {
  return parse(readFileSync(path), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
    relax_column_count: true,
  }) as Row[]
}

export interface ReplayOptions {
  /** simulated time between rows without created_at (ms) */
  spacingMs?: number
  /** refinement interval on the simulated clock (ms); 0 disables refinement */
  refineEveryMs?: number
  /** also refine whenever this much real time has passed (ms), as the Node server's job interval does */
  refineWallMs?: number
  /** a database file to keep; a temp file otherwise */
  dbPath?: string
  /** refinement settings (defaults: the server's) */
  refine?: Partial<RefineOptions>
  /** pipeline batch size (the server's by default; 1 = strictly sequential assignment) */
  batchSize?: number
}

export interface ReplayResult {
  /** final cluster of each row (after refinement merges), '' for a row the API would reject */
  clusters: string[]
  /** cluster each row was given by the pipeline */
  atIngest: string[]
  /** wall-clock ms of each submitReport call (the intake: one insert and its commit) */
  ingestMs: number[]
  /**
   * per pipeline batch: reports in it, ms computing (reads + in-memory assignment and surge
   * checks), ms writing + committing
   */
  batches: { reports: number; computeMs: number; writeMs: number }[]
  refineMs: number
  refineRuns: number
}

export interface Harness {
  db: Database
  deps: Deps
  clock: ReturnType<typeof manualClock>
  project: Project
  /** every batch the pipeline committed */
  batches: ReplayResult['batches']
  /** cluster each report was given when the pipeline processed it */
  clusterOf: Map<string, string | null>
  close(): void
}

export async function openHarness(
  dbPath?: string,
  opts: { start?: number; batchSize?: number } = {},
): Promise<Harness> {
  // tmpfs when there is one: a replay measures the engine, not the disk's fsync.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
  const dir = dbPath ? null : mkdtempSync(join(base, 'earshot-cluster-'))
  const url = `file:${dbPath ?? join(dir!, 'replay.db')}`
  const db = createDatabase(await openNodeClient(url))
  await migrateDatabase(db)
  const clock = manualClock(opts.start ?? Date.UTC(2026, 10, 20, 9, 0, 0))
  // The dependencies createApp() is given on the server; the replay drives the pipeline itself
  // (drain) instead of its timers, so results do not depend on timing.
  const deps = createDeps({
    db,
    clock,
    config: loadConfig({ EARSHOT_ENV: 'test' }),
    pipeline: { exclusive: true, batchSize: opts.batchSize ?? DEFAULT_PIPELINE.batchSize },
  })
  const batches: ReplayResult['batches'] = []
  const clusterOf = new Map<string, string | null>()
  deps.pipeline.onBatch((out) => {
    batches.push({ reports: out.processed.length, computeMs: out.computeMs, writeMs: out.writeMs })
    for (const p of out.processed) clusterOf.set(p.id, p.clusterId)
  })
  const project = await db.write(async (tx) => {
    const ws = await createWorkspace(tx, deps, 'Replay')
    return createProject(tx, deps, {
      workspaceId: ws.id,
      name: 'Replay',
      slug: `replay${Date.now().toString(36)}`,
      allowedOrigins: [],
    })
  })
  return {
    db,
    deps,
    clock,
    project,
    batches,
    clusterOf,
    close() {
      db.close()
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function replay(rows: Row[], opts: ReplayOptions = {}): Promise<ReplayResult> {
  const spacing = opts.spacingMs ?? 1000
  const refineEvery = opts.refineEveryMs ?? 60_000
  const h = await openHarness(opts.dbPath, { batchSize: opts.batchSize })
  const batchSize = h.deps.pipeline.options.batchSize
  try {
    const ids: (string | null)[] = []
    const ingestMs: number[] = []
    let refineMs = 0
    let refineRuns = 0
    let waiting = 0
    let nextRefine = h.clock.now() + refineEvery
    // As on the server: a batch once `batchSize` reports wait, and everything waiting is clustered
    // before refinement runs (the server's pipeline is milliseconds behind its intake).
    const drain = async () => {
      if (waiting) await h.deps.pipeline.drain()
      waiting = 0
    }
    const refine = async () => {
      await drain()
      const t = performance.now()
      await h.deps.engine.refine(h.project.id, { ...h.deps.engine.refineOptions, ...opts.refine })
      refineMs += performance.now() - t
      refineRuns++
    }
    const wall = opts.refineWallMs ?? 0
    let lastWall = performance.now()
    let t = h.clock.now()
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!
      const at = row.created_at ? Date.parse(row.created_at) : NaN
      t = Number.isFinite(at) ? Math.max(t, at) : t + spacing
      while (refineEvery > 0 && t >= nextRefine) {
        h.clock.set(nextRefine)
        await refine()
        nextRefine += refineEvery
      }
      h.clock.set(t)
      if (wall > 0 && performance.now() - lastWall >= wall) {
        await refine()
        lastWall = performance.now()
      }
      const parsed = ReportInput.safeParse({
        message: row.text ?? '',
        route: row.route || undefined,
        release: row.release || undefined,
        category: row.category || undefined,
        reporter_id: row.reporter_id || undefined,
        locale: row.locale || undefined,
      })
      if (!parsed.success) {
        ids.push(null)
        ingestMs.push(0)
        continue
      }
      const started = performance.now()
      const accepted = await submitReport(h.deps, h.project, parsed.data, {
        idempotencyKey: `replay-row-${i}`,
        source: 'api',
      })
      ingestMs.push(performance.now() - started)
      ids.push(accepted.id)
      if (++waiting >= batchSize) await drain()
    }
    await drain()
    if (refineEvery > 0 || wall > 0) {
      if (refineEvery > 0) h.clock.set(Math.max(t, nextRefine))
      await refine()
    }
    const final = new Map<string, string>()
    const rowsDb = await h.db.orm.all<{ id: string; cluster_id: string | null }>(
      sql`SELECT id, cluster_id FROM reports WHERE project_id = ${h.project.id}`,
    )
    for (const r of rowsDb) final.set(r.id, r.cluster_id ?? '')
    return {
      clusters: ids.map((id) => (id ? (final.get(id) ?? '') : '')),
      atIngest: ids.map((id) => (id ? (h.clusterOf.get(id) ?? '') : '')),
      ingestMs,
      batches: h.batches,
      refineMs,
      refineRuns,
    }
  } finally {
    h.close()
  }
}
