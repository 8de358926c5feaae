// Shapes of the dashboard API's JSON (snake_case, ISO times), mirrored from worker/routes/api/serialize.ts.

export type Role = 'owner' | 'responder' | 'support' | 'viewer'
export type ClusterStatus = 'open' | 'acknowledged' | 'muted' | 'resolved'
export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved'
export type IncidentImpact = 'none' | 'minor' | 'major' | 'critical'
export type TokenScope = 'read' | 'write'
export type ReportSource = 'widget' | 'support' | 'api' | 'affected'

export interface ProjectSettings {
  surge?: Record<string, unknown>
  retention_days?: number | null
  [key: string]: unknown
}

export interface Project {
  id: string
  workspace_id: string
  name: string
  slug: string
  public_key: string
  allowed_origins: string[]
  color: string
  settings?: ProjectSettings
  /** The surge detector's defaults (what an unset surge setting means), from the server's settings schema. */
  surge_defaults?: SurgeDefaults
}

export interface SurgeScopeDefaults {
  minReports: number
  minReporters: number
  ratio: number
  alpha: number
  baselineMinutes: number
  floorPerHour: number
  warmupMinutes: number
}

export interface SurgeDefaults {
  enabled: boolean
  windowMinutes: number
  cooldownMinutes: number
  deployLookbackHours: number
  cluster: SurgeScopeDefaults
  topic: SurgeScopeDefaults & { enabled: boolean; maxTerms: number }
  project: SurgeScopeDefaults
  slow: { enabled: boolean; windowMinutes: number; minReports: number; minReporters: number; ratio: number; alpha: number }
}

export interface Workspace {
  id: string
  name: string
  role: Role
  projects: Project[]
}

export interface Me {
  id: string
  email: string
  name: string
  workspaces?: Workspace[]
}

export interface Surge {
  id: string
  scope?: 'cluster' | 'topic' | 'project'
  topic?: string | null
  started_at: string
  reports: number
  reporters: number
  expected: number
  window_minutes: number
  deploy: { id: string; release: string; deployed_at: string; text: string } | null
}

export interface Cluster {
  id: string
  project_id: string
  title: string
  /** 'human' when a responder named it (never retitled by the engine) */
  title_source?: 'auto' | 'human'
  status: ClusterStatus
  report_count: number
  /** How many of its reports came with a screenshot (cluster page). */
  screenshot_count?: number
  reporter_count: number
  first_seen_at: string
  last_seen_at: string
  incident_id: string | null
  assignee_id: string | null
  merged_into_id: string | null
  top_route?: string | null
  top_release?: string | null
  sparkline?: number[]
  surge?: Surge | null
}

export interface ClusterQuery {
  project_id?: string
  status?: ClusterStatus | 'active' | ''
  range?: '1h' | '24h' | '7d' | '30d' | ''
  release?: string
  route?: string
  q?: string
  limit?: number
}

export interface ClusterList {
  clusters: Cluster[]
  /** Distinct values for the filter menus. */
  facets?: { releases: string[]; routes: string[] }
  /** Projects whose overall report rate is surging right now. */
  project_surges?: (Surge & { project_id: string })[]
  /** Words surging across several clusters right now (never a badge on one of them). */
  topic_surges?: TopicSurge[]
}

/** A word surging across clusters: the clusters it spans and the reports and people across them. */
export interface TopicSurge extends Surge {
  project_id: string
  /** Start of the surge's first window: the counts below are since then. */
  since: string
  total_reports: number
  people: number
  clusters: { id: string; title: string; status: ClusterStatus; reports: number; report_count: number }[]
}

export interface CapturedError {
  message: string
  stack?: string
  at?: string
}

export interface Report {
  id: string
  project_id: string
  cluster_id: string | null
  incident_id: string | null
  message: string
  email: string | null
  page_url: string | null
  route: string | null
  release: string | null
  user_agent: string | null
  browser?: string | null
  locale: string | null
  category: string | null
  reporter_id: string | null
  source: ReportSource
  channel: string | null
  context: {
    errors?: CapturedError[]
    network?: { method?: string; url?: string; status?: number }[]
    user?: { id?: string; email?: string; name?: string }
    customer_contact?: string
    [key: string]: unknown
  }
  created_at: string
  /** The customer's screenshot, if they attached one (served at /api/reports/:id/attachment). */
  attachment?: { content_type: string; size: number } | null
}

export interface Breakdown {
  value: string | null
  count: number
}

export interface Deploy {
  id: string
  release?: string | null
  environment?: string | null
  deployed_at: string
  [key: string]: unknown
}

export interface ClusterPage {
  cluster: Cluster
  reports: Report[]
  next_before?: string | null
  breakdowns?: { route: Breakdown[]; release: Breakdown[]; browser: Breakdown[]; locale: Breakdown[]; source?: Breakdown[] }
  timeline?: { bucket_minutes: number; from: string; counts: number[]; deploys: Deploy[] }
  assignee?: { id: string; name: string; email: string } | null
  incident?: IncidentSummary | null
  undoable_merges?: { group_id: string; undo_until: string; reports: number; clusters: number }[]
  /** Topic surges this cluster is part of. */
  topic_surges?: TopicSurge[]
}

export interface IncidentUpdate {
  id: string
  status: IncidentStatus
  message: string
  internal_note: string | null
  author_id: string | null
  created_at: string
}

export interface IncidentSummary {
  id: string
  project_id: string
  title: string
  impact: IncidentImpact
  visibility: 'public' | 'private'
  status: IncidentStatus
  created_at: string
  updated_at: string
  /** set while a resolved incident got new reports in its clusters */
  may_be_back_at?: string | null
  latest_update?: IncidentUpdate
}

export interface Incident extends IncidentSummary {
  updates: IncidentUpdate[]
  clusters: { id: string; title: string; report_count: number; reporter_count: number }[]
}

export interface DeclareInput {
  project_id?: string
  cluster_id?: string
  title: string
  impact: IncidentImpact
  visibility?: 'public' | 'private'
  status: Exclude<IncidentStatus, 'resolved'>
  message: string
  internal_note?: string
  components?: { component_id: string; status: 'degraded_performance' | 'partial_outage' | 'major_outage' }[]
}

export interface SupportReportInput {
  message: string
  channel: 'email' | 'chat' | 'phone' | 'other'
  customer_contact?: string
  customer_email?: string
  page_url?: string
  release?: string
  route?: string
}

export interface Member {
  id: string
  email: string
  name: string
  role: Role
  joined_at: string
}

export interface Invitation {
  id: string
  email: string | null
  role: Role
  created_at: string
  expires_at: string
  accepted_at: string | null
}

export interface ApiToken {
  id: string
  name: string
  scopes: TokenScope[]
  prefix: string
  created_at: string
  last_used_at: string | null
}

export interface Webhook {
  id: string
  project_id: string
  url: string
  kind: 'slack' | 'generic'
  events: string[]
  component_id: string | null
  secret_hint: string
  created_at: string
}

export interface WebhookDelivery {
  outbox_id: string
  event: string
  attempt: number
  status_code: number | null
  duration_ms: number
  error: string | null
  at: string
  status: 'pending' | 'sending' | 'sent' | 'failed'
}

export interface OutboxEntry {
  id: string
  project_id: string | null
  channel: 'email' | 'webhook'
  target: string
  status: 'pending' | 'sending' | 'sent' | 'failed'
  attempts: number
  next_attempt_at: string
  last_error: string | null
  created_at: string
  sent_at: string | null
  subject: string | null
  content: string
  event: string | null
  tries: { attempt: number; status_code: number | null; duration_ms: number; error: string | null; at: string }[]
}

export interface OutboxList {
  email_configured: boolean
  environment: 'development' | 'production' | 'test'
  entries: OutboxEntry[]
  next_before: string | null
}

/** A merge the responder can still take back (POST /api/merges/:group_id/undo). */
export interface MergeResult {
  group_id: string
  undo_until: string
  reports: number
  merged: { cluster_id: string; reports: number }[]
}

export interface SimilarCluster {
  cluster: Cluster
  similarity: number
  kept_apart: boolean
}
