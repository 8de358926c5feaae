// The pipeline's queue is the reports table itself: a report is waiting while processed_at is
// null (a partial index holds exactly those, in arrival order).
import type { InStatement } from '@libsql/client'
import type { Reader } from '../../db/client.js'
import { queryRows } from '../../db/raw-sql.js'
import { PERSON_KEY_SQL } from '../reports/index.js'

export interface PendingReport {
  id: string
  project_id: string
  message: string
  email: string | null
  route: string | null
  release: string | null
  user_agent: string | null
  locale: string | null
  category: string | null
  reporter_id: string | null
  /** Who the report counts as for "people affected" (clustering/people.ts). */
  person_key: string | null
  /** Public API only: the keyed client-address hash surges count a reporter by. */
  client_key: string | null
  /** JSON array of context.errors[].message */
  errors: string
  created_at: number
}

/** The oldest waiting reports, in the order they were stored. */
export function readPending(x: Reader, limit: number): Promise<PendingReport[]> {
  return queryRows<PendingReport>(x, pendingStatement(limit))
}

/** readPending's statement (pipeline/inputs.ts sends it in one read batch with what it needs next). */
export function pendingStatement(limit: number): InStatement {
  return {
    sql: `SELECT id, project_id, message, email, route, release, user_agent, locale, category, reporter_id,
            ${PERSON_KEY_SQL} AS person_key, client_key,
            (SELECT json_group_array(e.value ->> 'message') FROM json_each(context, '$.errors') e) AS errors, created_at
          FROM reports WHERE processed_at IS NULL ORDER BY rowid LIMIT ?`,
    args: [limit],
  }
}

/** How many reports wait (bounded: a count over the partial index). */
export async function countPending(x: Reader): Promise<number> {
  const [row] = await queryRows<{ n: number }>(x, {
    sql: 'SELECT count(*) AS n FROM reports WHERE processed_at IS NULL',
    args: [],
  })
  return Number(row?.n ?? 0)
}

/** When the oldest waiting report was stored (ms), or undefined when none waits. */
export async function oldestPendingAt(x: Reader): Promise<number | undefined> {
  const [row] = await queryRows<{ created_at: number }>(x, {
    sql: 'SELECT created_at FROM reports WHERE processed_at IS NULL ORDER BY rowid LIMIT 1',
    args: [],
  })
  return row ? Number(row.created_at) : undefined
}

/** Which of these report ids still wait for the pipeline (one statement). */
export async function waitingReports(x: Reader, ids: string[]): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(x, {
    sql: 'SELECT r.id FROM json_each(?) j CROSS JOIN reports r ON r.id = j.value WHERE r.processed_at IS NULL',
    args: [JSON.stringify(ids)],
  })
  return rows.map((r) => r.id)
}
