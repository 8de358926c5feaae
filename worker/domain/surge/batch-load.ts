// The reads of a surge batch (batch.ts): the counters its reports touch, loaded into the batch's maps
// in chunks of 1000 keys per statement. Each loader takes the map it fills and skips keys already in it,
// so the batch can call them again per report at no cost for what the prefetch read.
import type { Reader } from '../../db/client.js'
import { queryRows } from '../../db/raw-sql.js'
import { PROJECT_SCOPE } from '../../db/schema/index.js'
import type { SurgeStateRow } from './counters.js'

interface StateRow {
  scope: string
  mass: number
  decayed_at: number
  first_seen_at: number
  active_surge_id: string | null
  last_hot_at: number | null
}

/** The key of a (scope, reporter) pair, or a (scope, minute) bucket, in the batch's maps. */
export const key = (scope: string, reporter: string) => scope + '\u0000' + reporter

/**
 * Where a person's first address is kept: a surge_reporters row (scope `@` + person, reporter =
 * that address, minute = last seen), pruned with the counters after two days without a sighting.
 */
export const PERSON_PREFIX = '@'

const DAY_MINUTES = 24 * 60

function stateOf(projectId: string, r: StateRow): SurgeStateRow {
  return {
    projectId,
    scope: r.scope,
    mass: Number(r.mass),
    decayedAt: Number(r.decayed_at),
    firstSeenAt: Number(r.first_seen_at),
    activeSurgeId: r.active_surge_id,
    lastHotAt: r.last_hot_at === null ? null : Number(r.last_hot_at),
  }
}

/** person → the address they were first seen from, for the persons not in `into` yet. */
export async function loadPersons(
  reader: Reader,
  projectId: string,
  into: Map<string, string>,
  persons: string[],
): Promise<void> {
  const missing = [...new Set(persons)].filter((p) => !into.has(p))
  for (let i = 0; i < missing.length; i += 1000) {
    const chunk = missing.slice(i, i + 1000).map((p) => PERSON_PREFIX + p)
    const rows = await queryRows<{ scope: string; reporter: string }>(reader, {
      sql: `SELECT s.scope, min(s.reporter) AS reporter FROM json_each(?) j
              CROSS JOIN surge_reporters s ON s.project_id = ? AND s.scope = j.value GROUP BY s.scope`,
      args: [JSON.stringify(chunk), projectId],
    })
    for (const r of rows) into.set(r.scope.slice(PERSON_PREFIX.length), r.reporter)
  }
}

/** scope → its surge_state row, or null when it has none. */
export async function loadStates(
  reader: Reader,
  projectId: string,
  into: Map<string, SurgeStateRow | null>,
  scopes: string[],
): Promise<void> {
  const missing = scopes.filter((s) => !into.has(s))
  for (let i = 0; i < missing.length; i += 1000) {
    const chunk = missing.slice(i, i + 1000)
    const rows = await queryRows<StateRow>(reader, {
      sql: `SELECT s.scope, s.mass, s.decayed_at, s.first_seen_at, s.active_surge_id, s.last_hot_at
              FROM json_each(?) j
              CROSS JOIN surge_state s ON s.project_id = ? AND s.scope = j.value`,
      args: [JSON.stringify(chunk), projectId],
    })
    for (const s of chunk) into.set(s, null)
    for (const r of rows) into.set(r.scope, stateOf(projectId, r))
  }
}

/** The project's scopes with a surge on record (a handful), besides those already in `into`. */
export async function loadSurging(
  reader: Reader,
  projectId: string,
  into: Map<string, SurgeStateRow | null>,
): Promise<void> {
  const rows = await queryRows<StateRow>(reader, {
    sql: `SELECT scope, mass, decayed_at, first_seen_at, active_surge_id, last_hot_at FROM surge_state
              WHERE project_id = ? AND active_surge_id IS NOT NULL AND scope != ?`,
    args: [projectId, PROJECT_SCOPE],
  })
  for (const r of rows) if (!into.has(r.scope)) into.set(r.scope, stateOf(projectId, r))
}

/** key(scope, reporter) → the reporter's last minute in the scope, or null when never seen. */
export async function loadSeen(
  reader: Reader,
  projectId: string,
  into: Map<string, number | null>,
  pairs: [string, string][],
): Promise<void> {
  const missing = pairs.filter(([s, r]) => !into.has(key(s, r)))
  for (let i = 0; i < missing.length; i += 1000) {
    const chunk = missing.slice(i, i + 1000)
    const rows = await queryRows<{ scope: string; reporter: string; minute: number }>(reader, {
      sql: `SELECT s.scope, s.reporter, s.minute FROM json_each(?) j
              CROSS JOIN surge_reporters s
                ON s.project_id = ? AND s.scope = j.value ->> 0 AND s.reporter = j.value ->> 1`,
      args: [JSON.stringify(chunk), projectId],
    })
    for (const [s, r] of chunk) into.set(key(s, r), null)
    for (const r of rows) into.set(key(r.scope, r.reporter), Number(r.minute))
  }
}

/** scope → minute → [reports, reporters last seen there], for the minutes of `range`. */
export async function loadBuckets(
  reader: Reader,
  projectId: string,
  into: Map<string, Map<number, [number, number]>>,
  scopes: string[],
  range: [number, number],
): Promise<void> {
  const missing = scopes.filter((s) => !into.has(s))
  for (let i = 0; i < missing.length; i += 1000) {
    const chunk = missing.slice(i, i + 1000)
    const rows = await queryRows<{ scope: string; minute: number; reports: number; reporters_last: number }>(reader, {
      sql: `SELECT b.scope, b.minute, b.reports, b.reporters_last FROM json_each(?) j
              CROSS JOIN surge_buckets b ON b.project_id = ? AND b.scope = j.value AND b.minute BETWEEN ? AND ?`,
      args: [JSON.stringify(chunk), projectId, range[0], range[1]],
    })
    for (const s of chunk) into.set(s, new Map())
    for (const r of rows) into.get(r.scope)!.set(Number(r.minute), [Number(r.reports), Number(r.reporters_last)])
  }
}

/**
 * The project's buckets around the same time a day earlier (detect.ts: the project's busy hours),
 * for report minutes `first`…`last`, added to `into` (the project scope's buckets) below `rangeStart`.
 */
export async function loadYesterday(
  reader: Reader,
  projectId: string,
  into: Map<number, [number, number]>,
  first: number,
  last: number,
  rangeStart: number,
): Promise<void> {
  const rows = await queryRows<{ minute: number; reports: number; reporters_last: number }>(reader, {
    sql: `SELECT minute, reports, reporters_last FROM surge_buckets
            WHERE project_id = ? AND scope = ? AND minute BETWEEN ? AND ?`,
    args: [projectId, PROJECT_SCOPE, first - DAY_MINUTES - 30, Math.min(last - DAY_MINUTES + 30, rangeStart - 1)],
  })
  for (const r of rows)
    if (!into.has(Number(r.minute))) into.set(Number(r.minute), [Number(r.reports), Number(r.reporters_last)])
}
