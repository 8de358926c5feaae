// Read side for the dashboard and the surge detector: one cluster's counters and breakdowns.
import { sql } from 'drizzle-orm'
import type { Dimension } from './counters.js'
import { resolveCluster } from './merge.js'
import { all, type Executor } from './sql.js'

export interface ClusterStats {
  id: string
  projectId: string
  title: string
  reportCount: number
  reporterCount: number
  firstSeenAt: number
  lastSeenAt: number
  representativeReportId: string | null
  keyTerms: string[]
  breakdowns: Record<Dimension, { value: string; count: number }[]>
}

/** Stats of a cluster (following merges to the cluster that holds its reports now). */
export async function clusterStats(x: Executor, clusterId: string, topPerDimension = 10): Promise<ClusterStats | null> {
  let id: string
  try {
    id = await resolveCluster(x, clusterId)
  } catch {
    return null
  }
  const [c] = await all<{
    id: string
    project_id: string
    title: string
    report_count: number
    reporter_count: number
    first_seen_at: number
    last_seen_at: number
    representative_id: string | null
    key_terms: string | null
  }>(
    x,
    sql`SELECT c.id, c.project_id, c.title, c.report_count, c.reporter_count, c.first_seen_at, c.last_seen_at,
               v.representative_id, v.key_terms
        FROM clusters c LEFT JOIN cluster_vectors v ON v.cluster_id = c.id WHERE c.id = ${id}`,
  )
  if (!c) return null
  const rows = await all<{ dimension: Dimension; value: string; count: number }>(
    x,
    sql`SELECT dimension, value, count FROM cluster_breakdowns WHERE cluster_id = ${id}
        ORDER BY dimension, count DESC, value`,
  )
  const breakdowns: ClusterStats['breakdowns'] = { route: [], release: [], browser: [], locale: [] }
  for (const r of rows)
    if (breakdowns[r.dimension].length < topPerDimension)
      breakdowns[r.dimension].push({ value: r.value, count: r.count })
  return {
    id: c.id,
    projectId: c.project_id,
    title: c.title,
    reportCount: c.report_count,
    reporterCount: c.reporter_count,
    firstSeenAt: c.first_seen_at,
    lastSeenAt: c.last_seen_at,
    representativeReportId: c.representative_id,
    keyTerms: c.key_terms ? (JSON.parse(c.key_terms) as string[]) : [],
    breakdowns,
  }
}
