// The cluster rows responders see (core `clusters` table) and their breakdowns: created and kept
// current by the engine as reports arrive, move or merge.
import { sql } from 'drizzle-orm'
import { newId } from '../shared/index.js'
import { browserOf } from './browser.js'
import { normalizeRoute } from './features.js'
import { personKeySql } from '../reports/index.js'
import { all, run, type Executor } from './sql.js'
import { summaryTitle, titleFrom } from './title.js'

export interface ReportFacts {
  reportId: string
  projectId: string
  message: string
  route?: string | null
  release?: string | null
  reporterId?: string | null
  /**
   * Who the report counts as for "people affected" (people.ts: identify()'s user id, else e-mail,
   * else the reporter id), read with the stored report. Without it (engine-only facts) the
   * reporter id is the person.
   */
  personKey?: string | null
  userAgent?: string | null
  locale?: string | null
  createdAt: number
}

export type Dimension = 'route' | 'release' | 'browser' | 'locale'

export function breakdownValues(
  r: Pick<ReportFacts, 'route' | 'release' | 'userAgent' | 'locale'>,
): [Dimension, string][] {
  const out: [Dimension, string][] = []
  if (r.route) out.push(['route', normalizeRoute(r.route).slice(0, 200)])
  if (r.release) out.push(['release', r.release.trim().slice(0, 100)])
  const browser = browserOf(r.userAgent)
  if (browser) out.push(['browser', browser])
  if (r.locale) out.push(['locale', r.locale.trim().slice(0, 35)])
  return out
}

export async function createClusterRow(x: Executor, r: ReportFacts): Promise<string> {
  const id = newId('clu', r.createdAt)
  await run(
    x,
    sql`INSERT INTO clusters
          (id, project_id, title, report_count, reporter_count, first_seen_at, last_seen_at, created_at)
        VALUES (${id}, ${r.projectId}, ${titleFrom(r.message)}, 0, 0, ${r.createdAt}, ${r.createdAt}, ${r.createdAt})`,
  )
  return id
}

/** Counts one more report into a cluster: reports, distinct reporters, first/last seen, breakdowns. */
export async function countReportIn(x: Executor, clusterId: string, r: ReportFacts): Promise<void> {
  // The person is read from the stored report (identify()'s user id / e-mail, else the browser's
  // reporter id: people.ts), so every path that counts a report counts the same person; facts
  // without a stored row (engine-only replays) fall back to the reporter id they carry.
  const res = await run(
    x,
    sql`INSERT OR IGNORE INTO cluster_reporters (cluster_id, reporter_id)
        SELECT ${clusterId}, k FROM (
          SELECT coalesce((SELECT ${personKeySql} FROM reports WHERE id = ${r.reportId}), ${r.reporterId ?? null}) AS k
        ) WHERE k IS NOT NULL`,
  )
  const newReporter = res.rowsAffected
  await run(
    x,
    sql`UPDATE clusters SET report_count = report_count + 1, reporter_count = reporter_count + ${newReporter},
        first_seen_at = min(first_seen_at, ${r.createdAt}), last_seen_at = max(last_seen_at, ${r.createdAt})
        WHERE id = ${clusterId}`,
  )
  const dims = breakdownValues(r)
  if (dims.length) {
    await run(
      x,
      sql`INSERT INTO cluster_breakdowns (cluster_id, dimension, value, count)
          VALUES ${sql.join(
            dims.map(([d, v]) => sql`(${clusterId}, ${d}, ${v}, 1)`),
            sql`, `,
          )}
          ON CONFLICT (cluster_id, dimension, value) DO UPDATE SET count = count + 1`,
    )
  }
}

/**
 * Recomputes a cluster's counters from its reports (after a move or a merge, where increments
 * would be error-prone). Bounded by the cluster's own size, and only runs on responder actions
 * and refinement merges, never per ingested report.
 */
export async function recount(x: Executor, clusterId: string): Promise<void> {
  await run(x, sql`DELETE FROM cluster_reporters WHERE cluster_id = ${clusterId}`)
  await run(
    x,
    sql`INSERT OR IGNORE INTO cluster_reporters (cluster_id, reporter_id)
        SELECT ${clusterId}, k FROM (SELECT ${personKeySql} AS k FROM reports WHERE cluster_id = ${clusterId})
        WHERE k IS NOT NULL`,
  )
  await run(
    x,
    sql`UPDATE clusters SET
          report_count = (SELECT count(*) FROM reports WHERE cluster_id = ${clusterId}),
          reporter_count = (SELECT count(*) FROM cluster_reporters WHERE cluster_id = ${clusterId}),
          first_seen_at =
            coalesce((SELECT min(created_at) FROM reports WHERE cluster_id = ${clusterId}), first_seen_at),
          last_seen_at =
            coalesce((SELECT max(created_at) FROM reports WHERE cluster_id = ${clusterId}), last_seen_at)
        WHERE id = ${clusterId}`,
  )
  await run(x, sql`DELETE FROM cluster_breakdowns WHERE cluster_id = ${clusterId}`)
  const rows = await all<{
    route: string | null
    release: string | null
    user_agent: string | null
    locale: string | null
  }>(x, sql`SELECT route, release, user_agent, locale FROM reports WHERE cluster_id = ${clusterId}`)
  const counts = new Map<string, [Dimension, string, number]>()
  for (const r of rows) {
    for (const [d, v] of breakdownValues({
      route: r.route,
      release: r.release,
      userAgent: r.user_agent,
      locale: r.locale,
    })) {
      const key = d + '\u0000' + v
      const e = counts.get(key)
      if (e) e[2]++
      else counts.set(key, [d, v, 1])
    }
  }
  const list = [...counts.values()]
  for (let i = 0; i < list.length; i += 200) {
    await run(
      x,
      sql`INSERT INTO cluster_breakdowns (cluster_id, dimension, value, count)
          VALUES ${sql.join(
            list.slice(i, i + 200).map(([d, v, n]) => sql`(${clusterId}, ${d}, ${v}, ${n})`),
            sql`, `,
          )}`,
    )
  }
}

/** The automatic title from a representative message (and key terms); a human title stays. */
export async function setTitle(
  x: Executor,
  clusterId: string,
  message: string,
  keyTerms: readonly string[] = [],
): Promise<void> {
  await run(
    x,
    sql`UPDATE clusters SET title = ${summaryTitle(message, keyTerms)}
        WHERE id = ${clusterId} AND title_source = 'auto'`,
  )
}

/** A responder names the cluster: kept as typed (whitespace collapsed), never overwritten by the engine. */
export async function setHumanTitle(x: Executor, clusterId: string, title: string): Promise<void> {
  await run(
    x,
    sql`UPDATE clusters SET title = ${title.replace(/\s+/gu, ' ').trim()}, title_source = 'human'
        WHERE id = ${clusterId}`,
  )
}

/** Back to an automatic title, from the cluster's representative report. */
export async function clearHumanTitle(x: Executor, clusterId: string): Promise<void> {
  const [row] = await all<{ message: string | null; key_terms: string | null }>(
    x,
    sql`SELECT (SELECT message FROM reports WHERE id = v.representative_id) AS message, v.key_terms
        FROM cluster_vectors v WHERE v.cluster_id = ${clusterId}`,
  )
  const fallback =
    row?.message ??
    (
      await all<{ message: string }>(
        x,
        sql`SELECT message FROM reports WHERE cluster_id = ${clusterId} ORDER BY created_at LIMIT 1`,
      )
    )[0]?.message
  await run(x, sql`UPDATE clusters SET title_source = 'auto' WHERE id = ${clusterId}`)
  if (fallback) await setTitle(x, clusterId, fallback, row?.key_terms ? (JSON.parse(row.key_terms) as string[]) : [])
}
