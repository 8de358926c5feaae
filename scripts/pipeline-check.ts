// What must hold once the report pipeline has nothing left to do, whatever crashed on the way
// (`npm run crash`, test/trust/pipeline.test.ts): every stored report processed exactly once, and
// every counter equal to a recount from the reports themselves.
import type { Client } from '@libsql/client'
import { breakdownValues } from '../worker/domain/clustering/counters.js'
import { PERSON_KEY_SQL } from '../worker/domain/reports/people.js'

export interface PipelineCheck {
  reports: number
  clustered: number
  /** Everything that does not hold, in words (empty when all is well). */
  problems: string[]
}

const num = (v: unknown) => Number(v ?? 0)

export async function checkPipeline(db: Client): Promise<PipelineCheck> {
  const problems: string[] = []
  const one = async (sql: string) => (await db.execute(sql)).rows[0]!
  const all = async (sql: string) => (await db.execute(sql)).rows

  const totals = await one(`SELECT count(*) AS reports,
      count(*) FILTER (WHERE processed_at IS NULL) AS waiting,
      count(*) FILTER (WHERE cluster_id IS NOT NULL) AS clustered,
      count(*) FILTER (WHERE cluster_id IS NULL AND processed_at IS NOT NULL AND source != 'affected') AS unclustered
    FROM reports`)
  if (num(totals.waiting)) problems.push(`${totals.waiting} reports still wait for the pipeline`)
  if (num(totals.unclustered)) problems.push(`${totals.unclustered} processed reports have no cluster`)

  // Clustered once: one feature row per clustered report, none for anything else.
  const features = await one(`SELECT
      (SELECT count(*) FROM report_features) AS rows,
      (SELECT count(*) FROM reports r JOIN report_features f ON f.report_id = r.id
        WHERE r.cluster_id IS NOT NULL) AS matched`)
  if (num(features.rows) !== num(totals.clustered) || num(features.matched) !== num(totals.clustered)) {
    problems.push(
      `report_features: ${features.rows} rows (${features.matched} of clustered reports) ` +
        `for ${totals.clustered} clustered reports`,
    )
  }
  // Every clustered report was counted into its project's document frequencies exactly once.
  for (const r of await all(`SELECT r.project_id, count(*) AS n,
        (SELECT df FROM clustering_df d WHERE d.project_id = r.project_id AND d.feature = '#docs') AS docs
      FROM reports r WHERE r.cluster_id IS NOT NULL GROUP BY r.project_id`)) {
    if (num(r.n) !== num(r.docs))
      problems.push(`project ${r.project_id}: ${r.n} clustered reports, document count ${r.docs}`)
  }

  // Cluster counters against a recount (clusters merged away keep their old numbers and are skipped);
  // people are counted by the same key as everywhere (clustering/people.ts).
  const wrong = await all(`SELECT c.id, c.report_count, c.reporter_count,
      (SELECT count(*) FROM reports r WHERE r.cluster_id = c.id) AS reports,
      (SELECT count(DISTINCT ${PERSON_KEY_SQL}) FROM reports WHERE cluster_id = c.id) AS reporters,
      (SELECT count(*) FROM cluster_reporters k WHERE k.cluster_id = c.id) AS reporter_rows,
      (SELECT coalesce(sum(count), 0) FROM cluster_hourly h WHERE h.cluster_id = c.id) AS hourly
    FROM clusters c WHERE c.merged_into_id IS NULL
      AND (c.report_count != reports OR c.reporter_count != reporters
        OR reporter_rows != reporters OR hourly != reports)`)
  for (const w of wrong.slice(0, 5)) {
    problems.push(
      `cluster ${w.id}: report_count ${w.report_count} / recount ${w.reports}, ` +
        `reporter_count ${w.reporter_count} / ${w.reporters} (rows ${w.reporter_rows}), hourly ${w.hourly}`,
    )
  }
  if (wrong.length > 5) problems.push(`… and ${wrong.length - 5} more clusters with wrong counters`)

  // Breakdowns (route, release, browser, locale) against a recount.
  const expected = new Map<string, number>()
  for (const r of await all(
    'SELECT cluster_id, route, release, user_agent, locale FROM reports WHERE cluster_id IS NOT NULL',
  )) {
    for (const [d, v] of breakdownValues({
      route: r.route as string | null,
      release: r.release as string | null,
      userAgent: r.user_agent as string | null,
      locale: r.locale as string | null,
    })) {
      const k = `${r.cluster_id}\u0000${d}\u0000${v}`
      expected.set(k, (expected.get(k) ?? 0) + 1)
    }
  }
  let breakdownErrors = 0
  const stored = new Map<string, number>()
  for (const b of await all(
    'SELECT b.cluster_id, b.dimension, b.value, b.count FROM cluster_breakdowns b ' +
      'JOIN clusters c ON c.id = b.cluster_id WHERE c.merged_into_id IS NULL',
  )) {
    stored.set(`${b.cluster_id}\u0000${b.dimension}\u0000${b.value}`, num(b.count))
  }
  for (const [k, n] of expected) if (stored.get(k) !== n) breakdownErrors++
  for (const [k, n] of stored) if (n !== 0 && !expected.has(k)) breakdownErrors++
  if (breakdownErrors) problems.push(`${breakdownErrors} cluster breakdown counts differ from a recount`)

  // Surge counters: the project scope counted each clustered report once, each reporter once
  // (for databases like the crash tests': no muted cluster, detection on, nothing pruned yet).
  for (const r of await all(`SELECT p.id AS project_id,
      (SELECT count(*) FROM reports r WHERE r.project_id = p.id AND r.cluster_id IS NOT NULL) AS reports,
      (SELECT coalesce(sum(reports), 0) FROM surge_buckets b WHERE b.project_id = p.id AND b.scope = '*') AS counted,
      (SELECT coalesce(sum(reporters_last), 0) FROM surge_buckets b
        WHERE b.project_id = p.id AND b.scope = '*') AS last_seen,
      (SELECT count(*) FROM surge_reporters s WHERE s.project_id = p.id AND s.scope = '*') AS reporters
    FROM projects p`)) {
    if (num(r.reports) !== num(r.counted))
      problems.push(`project ${r.project_id}: ${r.reports} clustered reports, surge counters counted ${r.counted}`)
    if (num(r.last_seen) !== num(r.reporters))
      problems.push(`project ${r.project_id}: ${r.reporters} surge reporters, last-seen marks ${r.last_seen}`)
  }
  return { reports: num(totals.reports), clustered: num(totals.clustered), problems }
}
