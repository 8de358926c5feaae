// The write of a surge batch (batch.ts): what its reports changed, as a few multi-row statements
// for the batch's transaction, each table's rows in key order (db/multi-row.ts inKeyOrder).
import type { InStatement, InValue } from '@libsql/client'
import { inKeyOrder, multiRow } from '../../db/multi-row.js'
import type { SurgeStateRow } from './counters.js'
import type { Surge } from './detect.js'

/** A surge a report of the batch started, with its cluster's title as the alert shows it. */
export interface StartedSurge {
  surge: Surge
  clusterTitle: string | undefined
}

/** What the batch changed, as it holds it (the maps are the batch's own, read and not changed here). */
export interface SurgeChanges {
  projectId: string
  /** key → [scope, reporter, minute]: reporters' new last minutes (and persons' first addresses). */
  dirtySeen: Map<string, [scope: string, reporter: string, minute: number]>
  /** key → [scope, minute, reports, reporters]: what to add to each minute's bucket. */
  deltas: Map<string, [scope: string, minute: number, reports: number, reporters: number]>
  /** The scopes whose state in `states` changed. */
  dirtyStates: Set<string>
  states: Map<string, SurgeStateRow | null>
  /** Surges on record that stayed hot: id → last hot minute and peak. */
  extended: Map<string, { lastHotAt: number; peak: number }>
  /** Surges on record that ended: id → when. */
  ended: Map<string, number>
  started: StartedSurge[]
}

export function surgeStatements(c: SurgeChanges): InStatement[] {
  const p = c.projectId
  const reporters = [...c.dirtySeen.values()].map(([s, r, m]) => [p, s, r, m])
  const grow: InValue[][] = []
  const shrink: InValue[][] = []
  for (const [s, m, reports, moved] of c.deltas.values()) {
    if (reports > 0) grow.push([p, s, m, reports, moved])
    else if (moved !== 0) shrink.push([p, s, m, moved])
  }
  const states: InValue[][] = []
  for (const scope of c.dirtyStates) {
    const st = c.states.get(scope)
    if (st) states.push([p, scope, st.mass, st.decayedAt, st.firstSeenAt, st.activeSurgeId, st.lastHotAt])
  }
  const extended = [...c.extended].map(([id, e]) => [id, e.lastHotAt, e.peak])
  const ended = [...c.ended].map(([id, at]) => [id, at])
  const inserted = c.started.map(({ surge: s }) => [
    s.id,
    s.projectId,
    s.scope,
    s.clusterId,
    s.topic,
    s.startedAt,
    s.reports,
    s.reporters,
    s.expected,
    s.windowMinutes,
    s.release,
    s.deployId,
    s.deployRelease,
    s.deployedAt,
    s.endedAt,
    s.lastHotAt,
    s.peakReports,
  ])
  return [
    ...multiRow(
      `INSERT INTO surge_reporters (project_id, scope, reporter, minute)
       SELECT * FROM $VALUES WHERE column1 IS NOT NULL
       ON CONFLICT (project_id, scope, reporter) DO UPDATE SET minute = excluded.minute`,
      inKeyOrder(reporters, 1, 2),
      4,
      64,
    ),
    ...multiRow(
      `INSERT INTO surge_buckets (project_id, scope, minute, reports, reporters_last)
       SELECT * FROM $VALUES WHERE column1 IS NOT NULL
       ON CONFLICT (project_id, scope, minute) DO UPDATE SET reports = reports + excluded.reports,
         reporters_last = reporters_last + excluded.reporters_last`,
      inKeyOrder(grow, 1, 2),
      5,
      64,
    ),
    ...multiRow(
      `UPDATE surge_buckets SET reporters_last = reporters_last + u.column4
       FROM (SELECT * FROM $VALUES WHERE column1 IS NOT NULL) AS u
       WHERE surge_buckets.project_id = u.column1 AND surge_buckets.scope = u.column2
         AND surge_buckets.minute = u.column3`,
      inKeyOrder(shrink, 1, 2),
      4,
      64,
    ),
    ...multiRow(
      `INSERT INTO surge_state (project_id, scope, mass, decayed_at, first_seen_at, active_surge_id, last_hot_at)
       SELECT * FROM $VALUES WHERE column1 IS NOT NULL
       ON CONFLICT (project_id, scope) DO UPDATE SET mass = excluded.mass, decayed_at = excluded.decayed_at,
         first_seen_at = excluded.first_seen_at, active_surge_id = excluded.active_surge_id,
         last_hot_at = excluded.last_hot_at`,
      inKeyOrder(states, 1),
      7,
      64,
    ),
    ...multiRow(
      `UPDATE surges SET last_hot_at = u.column2, peak_reports = max(peak_reports, u.column3)
       FROM (SELECT * FROM $VALUES WHERE column1 IS NOT NULL) AS u WHERE surges.id = u.column1`,
      extended,
      3,
    ),
    ...multiRow(
      `UPDATE surges SET ended_at = u.column2 FROM (SELECT * FROM $VALUES WHERE column1 IS NOT NULL) AS u
       WHERE surges.id = u.column1`,
      ended,
      2,
    ),
    ...multiRow(
      `INSERT INTO surges (id, project_id, scope, cluster_id, topic, started_at, reports, reporters, expected,
         window_minutes, release,
         deploy_id, deploy_release, deployed_at, ended_at, last_hot_at, peak_reports)
       SELECT * FROM $VALUES WHERE column1 IS NOT NULL`,
      inserted,
      17,
      8,
    ),
  ]
}
