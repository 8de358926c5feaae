// Domain rows → the cluster area's JSON (snake_case, ISO times). Each returns `Out<typeof X>` of
// its schema in http/schemas/clusters.ts.
import type { attachmentsOf } from '../../../domain/reports/index.js'
import type { MergedGroup } from '../../../domain/clustering/index.js'
import type {
  Cluster,
  ClusterRow,
  Report,
  clusterBreakdowns,
  reportTimeline,
  similarTo,
  sourceBreakdown,
  undoableMerges,
} from '../../../domain/triage/index.js'
import type { getIncident } from '../../../domain/incidents/index.js'
import { iso } from '../../../domain/shared/index.js'
import type { Deploy, SurgeView, TopicSurgeView } from '../../../domain/surge/index.js'
import type { Out } from '../../../http/schemas.js'
import type {
  ClusterListOut,
  ClusterPageOut,
  MergedAnswer,
  ReportWithAttachment,
  SimilarList,
} from '../../../http/schemas/clusters.js'
import { clusterJson, clusterRowJson, reportJson, surgeJson, topicSurgeJson } from '../serialize.js'

type Loaded<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>

/** The cluster list with its filter facets and the surges that are not one cluster's badge. */
export function clusterListJson(
  list: ClusterRow[],
  surges: SurgeView[],
  topics: TopicSurgeView[],
): Out<typeof ClusterListOut> {
  return {
    clusters: list.map(clusterRowJson),
    facets: {
      releases: topFacet(list.map((c) => c.topRelease)),
      routes: topFacet(list.map((c) => c.topRoute)),
    },
    // A whole project surging (every kind of report at once: the "site rolled back" case).
    project_surges: surges
      .filter((s) => s.scope === 'project')
      .map((s) => ({ project_id: s.projectId, ...surgeJson(s) })),
    // A word surging across clusters: shown once, with the clusters it spans (never as one cluster's badge).
    topic_surges: topics.map(topicSurgeJson),
  }
}

/** The 30 most frequent values, most frequent first (ties alphabetically). */
function topFacet(values: (string | null)[]): string[] {
  const counts = new Map<string, number>()
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 30)
    .map(([v]) => v)
}

/** Reports as JSON, each with `attachment: { content_type, size } | null` (its screenshot). */
export const reportsWithAttachmentJson = (
  list: Report[],
  found: Loaded<typeof attachmentsOf>,
): Out<typeof ReportWithAttachment>[] =>
  list.map((r) => {
    const a = found.get(r.id)
    return { ...reportJson(r), attachment: a ? { content_type: a.contentType, size: a.size } : null }
  })

/** Everything the cluster page shows, as loaded by GET /api/clusters/:id (page.ts). */
export interface ClusterPage {
  cluster: Cluster
  surge: SurgeView | undefined
  screenshots: number
  topics: TopicSurgeView[]
  reports: Out<typeof ReportWithAttachment>[]
  nextBefore: string | null
  breakdowns: Loaded<typeof clusterBreakdowns>
  source: Loaded<typeof sourceBreakdown>
  timeline: Loaded<typeof reportTimeline>
  deploys: Deploy[]
  incident: Loaded<typeof getIncident>
  assignee: { id: string; name: string; email: string } | undefined
  undoable: Loaded<typeof undoableMerges>
}

export function clusterPageJson(p: ClusterPage): Out<typeof ClusterPageOut> {
  const { timeline, incident } = p
  const end = timeline.from + timeline.counts.length * timeline.bucketMs
  return {
    cluster: { ...clusterJson(p.cluster), surge: p.surge ? surgeJson(p.surge) : null, screenshot_count: p.screenshots },
    topic_surges: p.topics.map(topicSurgeJson),
    reports: p.reports,
    next_before: p.nextBefore,
    breakdowns: { ...p.breakdowns, source: p.source },
    timeline: {
      bucket_minutes: timeline.bucketMs / 60_000,
      from: iso(timeline.from)!,
      counts: timeline.counts,
      deploys: p.deploys
        .filter((d) => d.createdAt >= timeline.from && d.createdAt < end)
        .map((d) => ({ id: d.id, release: d.release, environment: d.environment, deployed_at: iso(d.createdAt)! })),
    },
    incident: incident
      ? {
          id: incident.id,
          project_id: incident.projectId,
          title: incident.title,
          impact: incident.impact,
          visibility: incident.visibility,
          status: incident.status,
          created_at: iso(incident.createdAt)!,
          updated_at: iso(incident.updatedAt)!,
        }
      : null,
    assignee: p.assignee ?? null,
    /** merges into this cluster that can still be undone */
    undoable_merges: p.undoable.map((m) => ({
      group_id: m.groupId,
      undo_until: iso(m.undoUntil)!,
      reports: m.reports,
      clusters: m.clusters,
    })),
  }
}

/** The merge as JSON: the surviving cluster and the undo handle ("Merged 3 reports · Undo"). */
export const mergedJson = (group: MergedGroup, survivor: Cluster): Out<typeof MergedAnswer> => ({
  cluster: clusterJson(survivor),
  merge: {
    group_id: group.groupId,
    undo_until: iso(group.undoUntil)!,
    reports: group.merged.reduce((n, m) => n + m.reports, 0),
    merged: group.merged.map((m) => ({ cluster_id: m.sourceId, reports: m.reports })),
  },
})

export const similarJson = (list: Loaded<typeof similarTo>): Out<typeof SimilarList> => ({
  similar: list.map((s) => ({
    cluster: clusterJson(s.cluster),
    similarity: Math.round(s.similarity * 1000) / 1000,
    kept_apart: s.keptApart,
  })),
})
