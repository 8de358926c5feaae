import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

// Times are integer milliseconds since the epoch; JSON columns hold text parsed by the domain layer.

export const workspaces = sqliteTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
})

export const projects = sqliteTable(
  'projects',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    publicKey: text('public_key').notNull(),
    /** JSON array of origins allowed to call the public API with this key, e.g. ["https://app.example.com"]. */
    allowedOrigins: text('allowed_origins').notNull().default('[]'),
    /** Brand colour used by the status page and as the widget's default accent. */
    color: text('color').notNull().default('#4f46e5'),
    /** JSON object of per-project settings (surge thresholds, retention, custom domain …). */
    settings: text('settings').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('projects_slug_unique').on(t.slug),
    uniqueIndex('projects_public_key_unique').on(t.publicKey),
    index('projects_workspace_idx').on(t.workspaceId),
    check('projects_slug_format', sql`${t.slug} GLOB '[a-z0-9]*' AND ${t.slug} NOT GLOB '*[^a-z0-9-]*'`),
  ],
)

export const responders = sqliteTable(
  'responders',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('responders_email_unique').on(t.email)],
)

export const ROLES = ['owner', 'responder', 'support', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const memberships = sqliteTable(
  'memberships',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    responderId: text('responder_id')
      .notNull()
      .references(() => responders.id),
    role: text('role', { enum: ROLES }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.responderId] }),
    index('memberships_responder_idx').on(t.responderId),
    check('memberships_role_valid', sql`${t.role} IN ('owner','responder','support','viewer')`),
  ],
)

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the cookie value: a leaked database does not leak live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    responderId: text('responder_id')
      .notNull()
      .references(() => responders.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_responder_idx').on(t.responderId)],
)

export const CLUSTER_STATUSES = ['open', 'acknowledged', 'muted', 'resolved'] as const
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number]

export const clusters = sqliteTable(
  'clusters',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    title: text('title').notNull(),
    /**
     * 'auto': the engine keeps the title a summary of the representative report; 'human': a responder
     * named it, never overwritten.
     */
    titleSource: text('title_source', { enum: ['auto', 'human'] })
      .notNull()
      .default('auto'),
    status: text('status', { enum: CLUSTER_STATUSES }).notNull().default('open'),
    reportCount: integer('report_count').notNull().default(0),
    reporterCount: integer('reporter_count').notNull().default(0),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** Set when a responder (or refinement) merged this cluster into another; new reports follow it. */
    mergedIntoId: text('merged_into_id'),
    incidentId: text('incident_id'),
    assigneeId: text('assignee_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('clusters_project_last_seen_idx').on(t.projectId, t.lastSeenAt),
    index('clusters_incident_idx').on(t.incidentId),
    check('clusters_status_valid', sql`${t.status} IN ('open','acknowledged','muted','resolved')`),
    check('clusters_counts_non_negative', sql`${t.reportCount} >= 0 AND ${t.reporterCount} >= 0`),
    check('clusters_title_source_valid', sql`${t.titleSource} IN ('auto','human')`),
  ],
)

export const REPORT_SOURCES = ['widget', 'support', 'api', 'affected'] as const

export const reports = sqliteTable(
  'reports',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    idempotencyKey: text('idempotency_key').notNull(),
    message: text('message').notNull(),
    email: text('email'),
    pageUrl: text('page_url'),
    route: text('route'),
    release: text('release'),
    userAgent: text('user_agent'),
    locale: text('locale'),
    category: text('category'),
    /** Anonymous id the widget keeps in the browser; lets us tell a reporter their problem is fixed. */
    reporterId: text('reporter_id'),
    /** JSON: referrer, timezone, viewport, user, captured errors and network failures, custom context. */
    context: text('context').notNull().default('{}'),
    source: text('source', { enum: REPORT_SOURCES }).notNull().default('widget'),
    /** For reports added by support: e-mail, chat, phone … */
    channel: text('channel'),
    /** Null until the pipeline has clustered and counted the report (worker/domain/pipeline). */
    clusterId: text('cluster_id'),
    incidentId: text('incident_id'),
    /**
     * SHA-256 of the canonical request body the idempotency key was first used with: a retry with
     * the same body gets the stored answer, a different body under the same key a 409. NULL for
     * reports stored before it existed (then any retry gets the stored answer).
     */
    requestHash: text('request_hash'),
    createdAt: integer('created_at').notNull(),
    /**
     * When the pipeline processed the report (clustered, counted, surge-checked); null while it
     * waits. Set in the same transaction as everything the pipeline derives from the report, so a
     * report is processed exactly once.
     */
    processedAt: integer('processed_at'),
    /**
     * Public API only: the keyed hash of the client's address that surge detection counts one
     * reporter by (surge/client-key.ts). Kept only while the report waits: the pipeline batch that
     * counts it sets it back to null.
     */
    clientKey: text('client_key'),
  },
  (t) => [
    uniqueIndex('reports_project_idempotency_unique').on(t.projectId, t.idempotencyKey),
    // The pipeline's queue: only waiting reports are in it, in arrival (rowid) order.
    index('reports_pending_idx').on(t.processedAt).where(sql`${t.processedAt} IS NULL`),
    index('reports_cluster_id_idx').on(t.clusterId, t.id),
    index('reports_project_created_idx').on(t.projectId, t.createdAt),
    index('reports_incident_idx').on(t.incidentId),
    index('reports_reporter_idx').on(t.reporterId),
    check('reports_message_length', sql`length(${t.message}) BETWEEN 1 AND 5000`),
    check('reports_source_valid', sql`${t.source} IN ('widget','support','api','affected')`),
  ],
)

/**
 * Reporter ids the server assigns to customers added by support or the help-desk API: random and
 * stored, one per customer contact (e-mail, phone …) per project, so the same customer keeps the
 * same id while nobody can compute it from an e-mail. The contact is kept only as a SHA-256.
 */
export const customerReporters = sqliteTable(
  'customer_reporters',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    /** SHA-256 hex of the lower-cased, trimmed contact. */
    contactHash: text('contact_hash').notNull(),
    reporterId: text('reporter_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.contactHash] }),
    uniqueIndex('customer_reporters_reporter_unique').on(t.reporterId),
  ],
)

export const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical'] as const
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const
export const INCIDENT_VISIBILITIES = ['public', 'private'] as const
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number]
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number]

export const incidents = sqliteTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    title: text('title').notNull(),
    impact: text('impact', { enum: INCIDENT_IMPACTS }).notNull().default('minor'),
    visibility: text('visibility', { enum: INCIDENT_VISIBILITIES }).notNull().default('public'),
    createdById: text('created_by_id'),
    createdAt: integer('created_at').notNull(),
    /**
     * Set when a report joined a cluster of this incident after it was resolved (the cluster
     * reopened): the dashboard says "may be back" until a responder dismisses it or reopens the incident.
     */
    mayBeBackAt: integer('may_be_back_at'),
  },
  (t) => [
    index('incidents_project_created_idx').on(t.projectId, t.createdAt),
    check('incidents_impact_valid', sql`${t.impact} IN ('none','minor','major','critical')`),
    check('incidents_visibility_valid', sql`${t.visibility} IN ('public','private')`),
  ],
)

/** The incident's status is the status of its latest update: never stored twice. */
export const incidentUpdates = sqliteTable(
  'incident_updates',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    message: text('message').notNull(),
    /** Never leaves the dashboard. */
    internalNote: text('internal_note'),
    authorId: text('author_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('incident_updates_incident_created_idx').on(t.incidentId, t.createdAt),
    check('incident_updates_status_valid', sql`${t.status} IN ('investigating','identified','monitoring','resolved')`),
  ],
)
