// Replays reports through the server's own path (submitReport, then the report pipeline's
// clustering and surge detection, in batches of the server's size) on a real libSQL file with a
// simulated clock, running the background jobs on a simulated interval as the Node server would.
// Shared by `npm run surge` and `npm run bench:surge`.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { eq } from 'drizzle-orm'
import { createDeps } from '../worker/app.js'
import { manualClock } from '../worker/clock.js'
import { loadConfig } from '../worker/config.js'
import { createDatabase } from '../worker/db/client.js'
import { openNodeClient } from '../worker/db/node-client.js'
import { migrateDatabase } from '../worker/db/migrate.js'
import { projects, type surges } from '../worker/db/schema/index.js'
import type { Deps } from '../worker/domain/shared/deps.js'
import { createProject, createWorkspace, type Project } from '../worker/domain/projects/projects.js'
import { submitReport } from '../worker/domain/reports/submit.js'
import { recordDeploy } from '../worker/domain/surge/deploys.js'
import { ReportInput } from '../worker/http/schemas.js'
import { runBackgroundJobs } from '../worker/jobs.js'

export interface ReplayRow {
  text: string
  createdAt: number
  route?: string
  release?: string
  reporterId?: string
  /** A deploy marker at this time instead of a report (bench only). */
  deployRelease?: string
}

export type Alert = typeof surges.$inferSelect

export interface SurgeHarness {
  deps: Deps
  clock: ReturnType<typeof manualClock>
  project: Project
  close(): void
}

export async function openSurgeHarness(opts: {
  start: number
  settings?: Record<string, unknown>
  batchSize?: number
}): Promise<SurgeHarness> {
  // tmpfs when there is one: a replay measures detection, not the disk's fsync.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
  const dir = mkdtempSync(join(base, 'earshot-surge-'))
  const db = createDatabase(await openNodeClient(`file:${join(dir, 'replay.db')}`))
  await migrateDatabase(db)
  const clock = manualClock(opts.start)
  // The same dependencies createApp() is given on the server; the replay drives the pipeline
  // itself (drain) instead of its timers, so results do not depend on timing.
  const deps = createDeps({
    db,
    clock,
    config: loadConfig({ EARSHOT_ENV: 'test' }),
    pipeline: { exclusive: true, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) },
  })
  let project = await db.write(async (tx) => {
    const ws = await createWorkspace(tx, deps, 'Replay')
    return createProject(tx, deps, { workspaceId: ws.id, name: 'Replay', slug: 'replay', allowedOrigins: [] })
  })
  if (opts.settings) {
    await db.write((tx) =>
      tx
        .update(projects)
        .set({ settings: JSON.stringify({ surge: opts.settings }) })
        .where(eq(projects.id, project.id)),
    )
    project = (await db.orm.select().from(projects).where(eq(projects.id, project.id)).get())!
  }
  return {
    deps,
    clock,
    project,
    close() {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export interface ReplayOptions {
  /** Background jobs (outbox, refinement, pruning) every this many simulated ms; 0 = never. */
  jobsEveryMs?: number
  onAlert?(alert: Alert, rowIndex: number): void
  /** Called after each row with its report's cluster id (bench attribution); awaited. */
  onReport?(rowIndex: number, clusterId: string | null): void | Promise<void>
}

/** Rows in the given order; the clock never goes back. Returns every surge alert raised. */
export async function replayRows(h: SurgeHarness, rows: ReplayRow[], opts: ReplayOptions = {}): Promise<Alert[]> {
  const jobsEvery = opts.jobsEveryMs ?? 60_000
  const alerts: Alert[] = []
  let t = h.clock.now()
  let nextJobs = t + jobsEvery
  const silent = () => {}
  // Stored reports wait for the pipeline as on the server: a batch once `batchSize` wait, and
  // everything waiting before the background jobs run (the server's pipeline is milliseconds behind).
  const rowOf = new Map<string, number>()
  const waiting: string[] = []
  const results = new Map<string, { clusterId: string | null; surges: Alert[] }>()
  const off = h.deps.pipeline.onBatch((out) => {
    for (const p of out.processed) results.set(p.id, { clusterId: p.clusterId, surges: p.surges ?? [] })
  })
  const drain = async () => {
    if (!waiting.length) return
    await h.deps.pipeline.drain()
    for (const id of waiting.splice(0)) {
      const r = results.get(id)
      const i = rowOf.get(id)!
      await opts.onReport?.(i, r?.clusterId ?? null)
      for (const s of r?.surges ?? []) {
        if (alerts.some((a) => a.id === s.id)) continue
        alerts.push(s)
        opts.onAlert?.(s, i)
      }
    }
  }
  try {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!
      t = Math.max(t, row.createdAt)
      while (jobsEvery > 0 && t >= nextJobs) {
        await drain()
        h.clock.set(nextJobs)
        await runBackgroundJobs(h.deps, silent)
        nextJobs += jobsEvery
      }
      h.clock.set(t)
      if (row.deployRelease) {
        await recordDeploy(h.deps, h.project.id, { release: row.deployRelease })
        continue
      }
      const parsed = ReportInput.safeParse({
        message: row.text,
        route: row.route || undefined,
        release: row.release || undefined,
        reporter_id: row.reporterId || undefined,
      })
      if (!parsed.success) {
        await drain()
        await opts.onReport?.(i, null)
        continue
      }
      const accepted = await submitReport(h.deps, h.project, parsed.data, {
        idempotencyKey: `replay-row-${i}`,
        source: 'api',
      })
      rowOf.set(accepted.id, i)
      waiting.push(accepted.id)
      if (waiting.length >= h.deps.pipeline.options.batchSize) await drain()
    }
    await drain()
  } finally {
    off()
  }
  return alerts
}

/** CSV with `text` and `created_at` (ISO 8601); optional route, release, reporter_id. */
export function readReplayCsv(path: string): ReplayRow[] {
  const records = parse(readFileSync(path), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
    relax_column_count: true,
  }) as Record<string, string>[]
  if (records.length && (!('text' in records[0]!) || !('created_at' in records[0]!))) {
    throw new Error('the CSV needs `text` and `created_at` columns')
  }
  return records.map((r, i) => {
    const createdAt = Date.parse(r.created_at ?? '')
    if (!Number.isFinite(createdAt))
      throw new Error(`row ${i + 2}: created_at ${JSON.stringify(r.created_at)} is not an ISO 8601 time`)
    return {
      text: r.text ?? '',
      createdAt,
      route: r.route || undefined,
      release: r.release || undefined,
      reporterId: r.reporter_id || undefined,
    }
  })
}

export function formatAlert(a: Alert): string {
  // A cluster id, `topic:<word>` (a word shared across clusters), or `project`.
  const scope = a.scope === 'cluster' ? a.clusterId! : a.scope === 'topic' ? `topic:${a.topic}` : 'project'
  return `${new Date(a.startedAt).toISOString()}\t${scope}\treports=${a.reports}\treporters=${a.reporters}`
}
