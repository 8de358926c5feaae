// A topic surge as responders should see it: the word, the clusters its reports went to, and the
// reports and people across them. The detector records a topic surge with the cluster of the
// report that crossed the threshold, which is an arbitrary one of several, so the dashboard never
// shows a topic surge on a cluster; it shows this view (GET /api/clusters → topic_surges, and on
// the cluster page of each cluster it spans), with a "merge these" action.
import type { Reader } from '../../db/client.js'
import { queryRows } from '../../db/raw-sql.js'
import { PERSON_KEY_SQL } from '../reports/index.js'
import type { SurgeView } from './query.js'
import { topicTerms } from './topics.js'

export interface TopicCluster {
  id: string
  title: string
  status: string
  /** This cluster's reports that mention the word, since the surge's first window. */
  reports: number
  /** All its reports (the largest is the natural target of a merge). */
  totalReports: number
}

export interface TopicSurgeView {
  surge: SurgeView
  /** Clusters the word's reports went to, most reports first. */
  clusters: TopicCluster[]
  /** Reports mentioning the word since the surge's first window, and the distinct people behind them. */
  reports: number
  people: number
  from: number
}

/** How many recent reports of a project are read per topic surge (they are filtered by word in memory). */
const SCAN_LIMIT = 5000

export async function topicSurgeViews(db: Reader, surges: SurgeView[], now: number): Promise<TopicSurgeView[]> {
  const out: TopicSurgeView[] = []
  for (const surge of surges) {
    if (surge.scope !== 'topic' || !surge.topic) continue
    const from = surge.startedAt - surge.windowMinutes * 60_000
    const to = Math.max(now, surge.lastHotAt)
    const rows = await queryRows<{ id: string; cluster_id: string; message: string; person: string | null }>(db, {
      sql: `SELECT id, cluster_id, message, ${PERSON_KEY_SQL} AS person FROM reports
            WHERE project_id = ? AND created_at BETWEEN ? AND ? AND cluster_id IS NOT NULL
            ORDER BY created_at LIMIT ${SCAN_LIMIT}`,
      args: [surge.projectId, from, to],
    })
    const byCluster = new Map<string, number>()
    const people = new Set<string>()
    let reports = 0
    for (const r of rows) {
      if (!topicTerms(r.message, 32).includes(surge.topic)) continue
      reports++
      people.add(r.person ?? `x:${r.id}`)
      byCluster.set(r.cluster_id, (byCluster.get(r.cluster_id) ?? 0) + 1)
    }
    const facts = byCluster.size
      ? await queryRows<{ id: string; title: string; status: string; report_count: number }>(db, {
          sql: `SELECT c.id, c.title, c.status, c.report_count FROM json_each(?) j
                CROSS JOIN clusters c ON c.id = j.value WHERE c.merged_into_id IS NULL`,
          args: [JSON.stringify([...byCluster.keys()])],
        })
      : []
    const clusters = facts
      .map((c) => ({
        id: c.id,
        title: c.title,
        status: c.status,
        reports: byCluster.get(c.id)!,
        totalReports: Number(c.report_count),
      }))
      .sort((a, b) => b.reports - a.reports || b.totalReports - a.totalReports)
    out.push({ surge, clusters, reports, people: people.size, from })
  }
  return out
}
