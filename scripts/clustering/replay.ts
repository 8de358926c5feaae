// Replays CSV rows through the server's own intake path (submitReport → engine.assign) on a real
// libSQL database in a temp file, with a simulated clock and refinement on a simulated interval,
// exactly as the Node server would run them.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { sql } from 'drizzle-orm'
import { manualClock } from '../../worker/clock.js'
import { loadConfig } from '../../worker/config.js'
import { createDatabase, type Database } from '../../worker/db/client.js'
import { openNodeClient } from '../../worker/db/node-client.js'
import { migrateDatabase } from '../../worker/db/migrate.js'
import { createClusterEngine, DEFAULT_REFINE, refineClusters, type ClusterEngine, type RefineOptions } from '../../worker/domain/clustering/index.js'
import type { Deps } from '../../worker/domain/deps.js'
import { createProject, createWorkspace, type Project } from '../../worker/domain/projects.js'
import { submitReport } from '../../worker/domain/reports.js'
import { ReportInput } from '../../worker/http/schemas.js'
import { profiled } from './sqlprof.js'

export type Row = Record<string, string>

export function readCsv(path: string): Row[] {
  return parse(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Row[]
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
}

export interface ReplayResult {
  /** final cluster of each row (after refinement merges), '' for a row the API would reject */
  clusters: string[]
  /** cluster each row was given at ingest */
  atIngest: string[]
  /** wall-clock ms of each submitReport call (validation-free intake + commit) */
  ingestMs: number[]
  /** engine.assign ms per report */
  assignMs: number[]
  refineMs: number
  refineRuns: number
}

export interface Harness {
  db: Database
  deps: Deps
  clock: ReturnType<typeof manualClock>
  project: Project
  /** engine.assign wall time per report (inside the transaction, before commit) */
  assignMs: number[]
  /** engine.assign CPU ms per report (this process) */
  assignCpuMs: number[]
  close(): void
}

export async function openHarness(dbPath?: string, start = Date.UTC(2026, 10, 20, 9, 0, 0)): Promise<Harness> {
  // tmpfs when there is one: a replay measures the engine, not the disk's fsync.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
  const dir = dbPath ? null : mkdtempSync(join(base, 'earshot-cluster-'))
  const url = `file:${dbPath ?? join(dir!, 'replay.db')}`
  const db = createDatabase(await openNodeClient(url))
  await migrateDatabase(db)
  const clock = manualClock(start)
  const engine = createClusterEngine()
  const assignMs: number[] = []
  const assignCpuMs: number[] = []
  // The engine the server uses, timed: assignment latency excludes the commit.
  const timed: ClusterEngine = {
    async assign(tx, input) {
      const t = performance.now()
      const cpu = process.cpuUsage()
      try {
        return await engine.assign(process.env.CLUSTER_SQL_PROFILE ? profiled(tx) : tx, input)
      } finally {
        assignMs.push(performance.now() - t)
        // CPU time of this process: what the latency would be on an idle machine (libSQL's
        // embedded calls run synchronously on this thread, so they are included).
        const used = process.cpuUsage(cpu)
        assignCpuMs.push((used.user + used.system) / 1000)
      }
    },
  }
  // The same dependencies createApp() builds (see createDeps in worker/app.ts), minus HTTP.
  const deps: Deps = { db, clock, config: loadConfig({ EARSHOT_ENV: 'test' }), engine: timed }
  const project = await db.write(async (tx) => {
    const ws = await createWorkspace(tx, deps, 'Replay')
    return createProject(tx, deps, { workspaceId: ws.id, name: 'Replay', slug: `replay${Date.now().toString(36)}`, allowedOrigins: [] })
  })
  return {
    db,
    deps,
    clock,
    project,
    assignMs,
    assignCpuMs,
    close() {
      db.close()
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function replay(rows: Row[], opts: ReplayOptions = {}): Promise<ReplayResult> {
  const spacing = opts.spacingMs ?? 1000
  const refineEvery = opts.refineEveryMs ?? 60_000
  const h = await openHarness(opts.dbPath)
  try {
    const ids: (string | null)[] = []
    const atIngest: string[] = []
    const ingestMs: number[] = []
    let refineMs = 0
    let refineRuns = 0
    let nextRefine = h.clock.now() + refineEvery
    const refine = async () => {
      const t = performance.now()
      await refineClusters(h.db, h.clock, h.project.id, { ...DEFAULT_REFINE, ...opts.refine })
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
        atIngest.push('')
        ingestMs.push(0)
        continue
      }
      const started = performance.now()
      const accepted = await submitReport(h.deps, h.project, parsed.data, { idempotencyKey: `replay-row-${i}`, source: 'api' })
      ingestMs.push(performance.now() - started)
      ids.push(accepted.id)
      atIngest.push(accepted.clusterId ?? '')
    }
    if (refineEvery > 0 || wall > 0) {
      if (refineEvery > 0) h.clock.set(Math.max(t, nextRefine))
      await refine()
    }
    const final = new Map<string, string>()
    const rowsDb = await h.db.orm.all<{ id: string; cluster_id: string | null }>(sql`SELECT id, cluster_id FROM reports WHERE project_id = ${h.project.id}`)
    for (const r of rowsDb) final.set(r.id, r.cluster_id ?? '')
    return { clusters: ids.map((id) => (id ? final.get(id) ?? '' : '')), atIngest, ingestMs, assignMs: h.assignMs, refineMs, refineRuns }
  } finally {
    h.close()
  }
}
