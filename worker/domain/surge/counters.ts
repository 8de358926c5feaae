// Per-scope counters: one bucket row per minute, each reporter's last minute, and a decayed total.
// All scopes a report touches (its cluster, its words, the project) are read and written together
// in a handful of statements — raw SQL, since this runs for every report inside the intake
// transaction and the query builder's per-call cost would dominate.
import { sql } from 'drizzle-orm'
import { allRows, runStatement } from '../../db/raw-sql.js'
import type { Reader, Tx } from '../../db/client.js'
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
}

export const minuteOf = (ms: number) => Math.floor(ms / 60_000)

const inList = (values: string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `)

/**
 * Counts one report in every given scope: bumps this minute's bucket, moves the reporter's
 * "last seen" minute (so Σ reporters_last over a window = distinct reporters in it), and adds the
 * report to the decayed mass. Returns each scope's state and window counts.
 */
export async function countReport(
  tx: Tx,
  projectId: string,
  scopes: { scope: string; tauMinutes: number }[],
  reporter: string,
  at: number,
  windowMinutes: number,
): Promise<Map<string, ScopeSnapshot>> {
  const minute = minuteOf(at)
  const names = scopes.map((s) => s.scope)

  // Reporters: who was seen before, and in which minute.
  const seen = await allRows<{ scope: string; minute: number }>(
    tx,
    sql`SELECT scope, minute FROM surge_reporters WHERE project_id = ${projectId} AND reporter = ${reporter} AND scope IN (${inList(names)})`,
  )
  const lastMinute = new Map(seen.map((r) => [r.scope, r.minute]))
  const fresh = names.filter((s) => !lastMinute.has(s) || lastMinute.get(s)! < minute)
  if (fresh.length) {
    await runStatement(tx, sql`INSERT INTO surge_reporters (project_id, scope, reporter, minute) VALUES ${sql.join(
      fresh.map((s) => sql`(${projectId}, ${s}, ${reporter}, ${minute})`),
      sql`, `,
    )} ON CONFLICT (project_id, scope, reporter) DO UPDATE SET minute = excluded.minute`)
    const moved = fresh.filter((s) => lastMinute.has(s))
    if (moved.length) {
      await runStatement(tx, sql`UPDATE surge_buckets SET reporters_last = reporters_last - 1 WHERE project_id = ${projectId} AND (${sql.join(
        moved.map((s) => sql`(scope = ${s} AND minute = ${lastMinute.get(s)!})`),
        sql` OR `,
      )})`)
    }
  }
  const freshSet = new Set(fresh)
  await runStatement(tx, sql`INSERT INTO surge_buckets (project_id, scope, minute, reports, reporters_last) VALUES ${sql.join(
    names.map((s) => sql`(${projectId}, ${s}, ${minute}, 1, ${freshSet.has(s) ? 1 : 0})`),
    sql`, `,
  )} ON CONFLICT (project_id, scope, minute) DO UPDATE SET reports = reports + 1, reporters_last = reporters_last + excluded.reporters_last`)

  // Decayed mass: Σ exp(-Δt/τ) over all reports, kept as of `decayed_at`.
  const rows = await allRows<{ scope: string; mass: number; decayed_at: number; first_seen_at: number; active_surge_id: string | null; last_hot_at: number | null }>(
    tx,
    sql`SELECT scope, mass, decayed_at, first_seen_at, active_surge_id, last_hot_at FROM surge_state WHERE project_id = ${projectId} AND scope IN (${inList(names)})`,
  )
  const before = new Map(rows.map((r) => [r.scope, r]))
  const states = new Map<string, SurgeStateRow>()
  for (const { scope, tauMinutes } of scopes) {
    const prev = before.get(scope)
    if (!prev) {
      states.set(scope, { projectId, scope, mass: 1, decayedAt: at, firstSeenAt: at, activeSurgeId: null, lastHotAt: null })
      continue
    }
    // Reports replayed slightly out of order are added with their own (smaller) weight.
    const elapsed = (at - prev.decayed_at) / 60_000
    const mass = elapsed >= 0 ? prev.mass * Math.exp(-elapsed / tauMinutes) + 1 : prev.mass + Math.exp(elapsed / tauMinutes)
    states.set(scope, {
      projectId,
      scope,
      mass,
      decayedAt: Math.max(at, prev.decayed_at),
      firstSeenAt: prev.first_seen_at,
      activeSurgeId: prev.active_surge_id,
      lastHotAt: prev.last_hot_at,
    })
  }
  await runStatement(tx, sql`INSERT INTO surge_state (project_id, scope, mass, decayed_at, first_seen_at) VALUES ${sql.join(
    [...states.values()].map((s) => sql`(${projectId}, ${s.scope}, ${s.mass}, ${s.decayedAt}, ${s.firstSeenAt})`),
    sql`, `,
  )} ON CONFLICT (project_id, scope) DO UPDATE SET mass = excluded.mass, decayed_at = excluded.decayed_at`)

  const windows = await windowCountsByScope(tx, projectId, names, minute, windowMinutes)
  const out = new Map<string, ScopeSnapshot>()
  for (const s of names) out.set(s, { state: states.get(s)!, counts: windows.get(s) ?? { reports: 0, reporters: 0 } })
  return out
}

export async function windowCountsByScope(tx: Tx, projectId: string, scopes: string[], minute: number, windowMinutes: number): Promise<Map<string, WindowCounts>> {
  if (scopes.length === 0) return new Map()
  const rows = await allRows<{ scope: string; reports: number; reporters: number }>(
    tx,
    sql`SELECT scope, sum(reports) AS reports, sum(reporters_last) AS reporters FROM surge_buckets
        WHERE project_id = ${projectId} AND scope IN (${inList(scopes)}) AND minute BETWEEN ${minute - windowMinutes + 1} AND ${minute}
        GROUP BY scope`,
  )
  return new Map(rows.map((r) => [r.scope, { reports: Number(r.reports), reporters: Number(r.reporters) }]))
}

/** Reports and distinct reporters in the window, summed over several scopes. */
export async function windowCounts(tx: Tx, projectId: string, scopes: string[], minute: number, windowMinutes: number): Promise<WindowCounts> {
  let reports = 0
  let reporters = 0
  for (const c of (await windowCountsByScope(tx, projectId, scopes, minute, windowMinutes)).values()) {
    reports += c.reports
    reporters += c.reporters
  }
  return { reports, reporters }
}

export async function setSurgeState(tx: Tx, projectId: string, scope: string, values: Partial<Pick<SurgeStateRow, 'activeSurgeId' | 'lastHotAt'>>) {
  // Raw SQL: a hot scope updates this for every report while it stays hot.
  const sets = []
  if (values.activeSurgeId !== undefined) sets.push(sql`active_surge_id = ${values.activeSurgeId}`)
  if (values.lastHotAt !== undefined) sets.push(sql`last_hot_at = ${values.lastHotAt}`)
  if (!sets.length) return
  await runStatement(tx, sql`UPDATE surge_state SET ${sql.join(sets, sql`, `)} WHERE project_id = ${projectId} AND scope = ${scope}`)
}

/**
 * Folds one scope's counters into another: a cluster merged into another (by refinement or a
 * responder) is the same problem, so its recent reports count toward the target's window and
 * baseline from now on. Without this, a problem that ingest first spread over several young
 * clusters would stay split in the counters even after refinement put it back together.
 * Distinct reporters stay distinct: a reporter of both keeps only their later minute.
 */
export async function foldScopeCounters(x: Reader, projectId: string, from: string, to: string, tauMinutes: number): Promise<void> {
  await runStatement(
    x,
    sql`INSERT INTO surge_buckets (project_id, scope, minute, reports, reporters_last)
        SELECT project_id, ${to}, minute, reports, 0 FROM surge_buckets WHERE project_id = ${projectId} AND scope = ${from} AND true
        ON CONFLICT (project_id, scope, minute) DO UPDATE SET reports = reports + excluded.reports`,
  )
  await runStatement(
    x,
    sql`INSERT INTO surge_reporters (project_id, scope, reporter, minute)
        SELECT project_id, ${to}, reporter, minute FROM surge_reporters WHERE project_id = ${projectId} AND scope = ${from} AND true
        ON CONFLICT (project_id, scope, reporter) DO UPDATE SET minute = max(minute, excluded.minute)`,
  )
  // Σ reporters_last over a window = distinct reporters in it: recount each minute's "last seen".
  await runStatement(
    x,
    sql`UPDATE surge_buckets SET reporters_last = (
          SELECT count(*) FROM surge_reporters r
          WHERE r.project_id = surge_buckets.project_id AND r.scope = surge_buckets.scope AND r.minute = surge_buckets.minute)
        WHERE project_id = ${projectId} AND scope = ${to}`,
  )
  // Decayed mass: both decayed to the later of their times, then added.
  const rows = await allRows<{ scope: string; mass: number; decayed_at: number; first_seen_at: number }>(
    x,
    sql`SELECT scope, mass, decayed_at, first_seen_at FROM surge_state WHERE project_id = ${projectId} AND scope IN (${from}, ${to})`,
  )
  const source = rows.find((r) => r.scope === from)
  if (source) {
    const target = rows.find((r) => r.scope === to)
    const at = Math.max(source.decayed_at, target?.decayed_at ?? 0)
    const decayed = (r: { mass: number; decayed_at: number }) => r.mass * Math.exp(-(at - r.decayed_at) / 60_000 / tauMinutes)
    const mass = decayed(source) + (target ? decayed(target) : 0)
    const firstSeen = Math.min(source.first_seen_at, target?.first_seen_at ?? Infinity)
    await runStatement(
      x,
      sql`INSERT INTO surge_state (project_id, scope, mass, decayed_at, first_seen_at) VALUES (${projectId}, ${to}, ${mass}, ${at}, ${firstSeen})
          ON CONFLICT (project_id, scope) DO UPDATE SET mass = excluded.mass, decayed_at = excluded.decayed_at, first_seen_at = excluded.first_seen_at`,
    )
  }
  await runStatement(x, sql`DELETE FROM surge_buckets WHERE project_id = ${projectId} AND scope = ${from}`)
  await runStatement(x, sql`DELETE FROM surge_reporters WHERE project_id = ${projectId} AND scope = ${from}`)
  await runStatement(x, sql`DELETE FROM surge_state WHERE project_id = ${projectId} AND scope = ${from} AND active_surge_id IS NULL`)
}
