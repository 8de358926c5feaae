import type { Out } from '../../http/schemas.js'
import type { Cluster, ClusterRow, Report } from '../../domain/triage/index.js'
import { browserOf } from '../../domain/clustering/index.js'
import { DEFAULT_SURGE_SETTINGS, type SurgeView, type TopicSurgeView } from '../../domain/surge/index.js'
import { iso, parseJson } from '../../domain/shared/index.js'
import type { Incident, IncidentUpdate } from '../../domain/incidents/index.js'
import type { Project } from '../../domain/projects/index.js'
import { allowedOriginsOf, projectSettings } from '../../domain/projects/index.js'
import type {
  ClusterOut,
  ClusterRowOut,
  IncidentHeadOut,
  ProjectOut,
  ReportOut,
  SurgeOut,
  TopicSurgeOut,
  UpdateOut,
} from '../../http/schemas/answers.js'

// The dashboard API speaks snake_case JSON with ISO times, like the public API. Each serializer
// returns `Out<typeof XOut>` of a schema in http/schemas/: what /openapi.json says it answers
// (and what the dashboard's generated types are made from), so the two cannot drift apart.

export const clusterJson = (c: Cluster): Out<typeof ClusterOut> => ({
  id: c.id,
  project_id: c.projectId,
  title: c.title,
  /** 'human' when a responder named the cluster (the engine never retitles it), else 'auto' */
  title_source: c.titleSource,
  status: c.status,
  report_count: c.reportCount,
  reporter_count: c.reporterCount,
  first_seen_at: iso(c.firstSeenAt)!,
  last_seen_at: iso(c.lastSeenAt)!,
  incident_id: c.incidentId,
  assignee_id: c.assigneeId,
  merged_into_id: c.mergedIntoId,
})

export const surgeJson = (s: SurgeView): Out<typeof SurgeOut> => ({
  id: s.id,
  /** 'cluster', 'topic' (one word shared by reports across clusters) or 'project'. */
  scope: s.scope,
  topic: (s as SurgeView & { topic?: string | null }).topic ?? null,
  started_at: iso(s.startedAt)!,
  reports: s.reports,
  reporters: s.reporters,
  expected: s.expected,
  window_minutes: s.windowMinutes,
  deploy: s.deploy
    ? { id: s.deploy.deployId, release: s.deploy.release, deployed_at: iso(s.deploy.deployedAt)!, text: s.deploy.text }
    : null,
})

/** A topic surge: the word, the clusters it spans, the reports and people across them. */
export const topicSurgeJson = (t: TopicSurgeView): Out<typeof TopicSurgeOut> => ({
  ...surgeJson(t.surge),
  project_id: t.surge.projectId,
  since: iso(t.from)!,
  total_reports: t.reports,
  people: t.people,
  clusters: t.clusters.map((c) => ({
    id: c.id,
    title: c.title,
    status: c.status as Out<typeof ClusterOut>['status'],
    reports: c.reports,
    report_count: c.totalReports,
  })),
})

export const clusterRowJson = (c: ClusterRow): Out<typeof ClusterRowOut> => ({
  ...clusterJson(c),
  top_route: c.topRoute,
  top_release: c.topRelease,
  sparkline: c.sparkline,
  surge: c.surge ? surgeJson(c.surge) : null,
})

export const reportJson = (r: Report): Out<typeof ReportOut> => ({
  id: r.id,
  project_id: r.projectId,
  cluster_id: r.clusterId,
  incident_id: r.incidentId,
  message: r.message,
  email: r.email,
  page_url: r.pageUrl,
  route: r.route,
  release: r.release,
  user_agent: r.userAgent,
  browser: browserOf(r.userAgent),
  locale: r.locale,
  category: r.category,
  reporter_id: r.reporterId,
  source: r.source,
  channel: r.channel,
  context: parseJson<Out<typeof ReportOut>['context']>(r.context, {}),
  created_at: iso(r.createdAt)!,
})

/** What every incident answer starts with; lists add the latest update, the detail page the rest. */
export const incidentHeadJson = (
  i: Pick<Incident, 'id' | 'projectId' | 'title' | 'impact' | 'visibility' | 'createdAt'> &
    Partial<Pick<Incident, 'mayBeBackAt'>> & { status: string; updatedAt: number },
): Out<typeof IncidentHeadOut> => ({
  id: i.id,
  project_id: i.projectId,
  title: i.title,
  impact: i.impact,
  visibility: i.visibility,
  status: i.status as Out<typeof IncidentHeadOut>['status'],
  created_at: iso(i.createdAt)!,
  updated_at: iso(i.updatedAt)!,
  /** set while a resolved incident got new reports in its clusters ("may be back") */
  may_be_back_at: i.mayBeBackAt != null && i.status === 'resolved' ? iso(i.mayBeBackAt)! : null,
})

export const updateJson = (u: IncidentUpdate): Out<typeof UpdateOut> => ({
  id: u.id,
  status: u.status,
  message: u.message,
  internal_note: u.internalNote,
  author_id: u.authorId,
  created_at: iso(u.createdAt)!,
})

export const projectJson = (p: Project): Out<typeof ProjectOut> => ({
  id: p.id,
  workspace_id: p.workspaceId,
  name: p.name,
  slug: p.slug,
  public_key: p.publicKey,
  allowed_origins: allowedOriginsOf(p),
  color: p.color,
  settings: projectSettings(p),
  /** What an unset surge setting means (the schema's defaults): the settings page shows these. */
  surge_defaults: DEFAULT_SURGE_SETTINGS,
})
