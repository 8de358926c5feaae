// Per-scope counters: one bucket row per minute, each reporter's last minute, and a decayed total.
// The pipeline counts a batch of reports in memory and writes them back together (surge/batch.ts);
// this file holds their shapes and what a merge of two clusters does to them.
import { sql } from 'drizzle-orm'
import { allRows, runStatement } from '../../db/raw-sql.js'
import type { Reader } from '../../db/client.js'
import type { surgeState } from '../../db/schema/index.js'

export type SurgeStateRow = typeof surgeState.$inferSelect

export interface WindowCounts {
  reports: number
  reporters: number
}

export interface ScopeSnapshot {
  /** The scope's state after counting this report. */
  state: SurgeStateRow
  /** Reports and distinct reporters in the window ending with this report's minute. */
  counts: WindowCounts
  /** The same over the slow window, when slow burns are watched. */
  slowCounts?: WindowCounts
}

export const minuteOf = (ms: number) => Math.floor(ms / 60_000)

/** Every report of the project with a day-long baseline (detect.ts activityOf); never alerts itself. */
export const PROJECT_DAY_SCOPE = '*day'

/**
 * Folds one scope's counters into another: a cluster merged into another (by refinement or a
 * responder) is the same problem, so its recent reports count toward the target's window and
 * baseline from now on. Without this, a problem that ingest first spread over several young
 * clusters would stay split in the counters even after refinement put it back together.
 * Distinct reporters stay distinct: a reporter of both keeps only their later minute.
 */
export async function foldScopeCounters(
  x: Reader,
  projectId: string,
  from: string,
  to: string,
  tauMinutes: number,
): Promise<void> {
  await runStatement(
    x,
    sql`INSERT INTO surge_buckets (project_id, scope, minute, reports, reporters_last)
        SELECT project_id, ${to}, minute, reports, 0 FROM surge_buckets
        WHERE project_id = ${projectId} AND scope = ${from} AND true
        ON CONFLICT (project_id, scope, minute) DO UPDATE SET reports = reports + excluded.reports`,
  )
  await runStatement(
    x,
    sql`INSERT INTO surge_reporters (project_id, scope, reporter, minute)
        SELECT project_id, ${to}, reporter, minute FROM surge_reporters
        WHERE project_id = ${projectId} AND scope = ${from} AND true
        ON CONFLICT (project_id, scope, reporter) DO UPDATE SET minute = max(minute, excluded.minute)`,
  )
  // Σ reporters_last over a window = distinct reporters in it: recount each minute's "last seen".
  await runStatement(
    x,
    sql`UPDATE surge_buckets SET reporters_last = (
          SELECT count(*) FROM surge_reporters r
          WHERE r.project_id = surge_buckets.project_id AND r.scope = surge_buckets.scope
            AND r.minute = surge_buckets.minute)
        WHERE project_id = ${projectId} AND scope = ${to}`,
  )
  // Decayed mass: both decayed to the later of their times, then added.
  const rows = await allRows<{ scope: string; mass: number; decayed_at: number; first_seen_at: number }>(
    x,
    sql`SELECT scope, mass, decayed_at, first_seen_at FROM surge_state
        WHERE project_id = ${projectId} AND scope IN (${from}, ${to})`,
  )
  const source = rows.find((r) => r.scope === from)
  if (source) {
    const target = rows.find((r) => r.scope === to)
    const at = Math.max(source.decayed_at, target?.decayed_at ?? 0)
    const decayed = (r: { mass: number; decayed_at: number }) =>
      r.mass * Math.exp(-(at - r.decayed_at) / 60_000 / tauMinutes)
    const mass = decayed(source) + (target ? decayed(target) : 0)
    const firstSeen = Math.min(source.first_seen_at, target?.first_seen_at ?? Infinity)
    await runStatement(
      x,
      sql`INSERT INTO surge_state (project_id, scope, mass, decayed_at, first_seen_at)
          VALUES (${projectId}, ${to}, ${mass}, ${at}, ${firstSeen})
          ON CONFLICT (project_id, scope) DO UPDATE SET mass = excluded.mass, decayed_at = excluded.decayed_at,
            first_seen_at = excluded.first_seen_at`,
    )
  }
  await runStatement(x, sql`DELETE FROM surge_buckets WHERE project_id = ${projectId} AND scope = ${from}`)
  await runStatement(x, sql`DELETE FROM surge_reporters WHERE project_id = ${projectId} AND scope = ${from}`)
  await runStatement(
    x,
    sql`DELETE FROM surge_state WHERE project_id = ${projectId} AND scope = ${from} AND active_surge_id IS NULL`,
  )
}
