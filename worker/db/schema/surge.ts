import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { projects } from './core.js'

// Surge detection keeps its own small counters so that checking a report costs a few primary-key
// reads and writes, never a scan over reports. A scope is a cluster id, or '*' for the project.

export const PROJECT_SCOPE = '*'

/** Reports per minute per scope, and how many reporters were last seen in that minute. */
export const surgeBuckets = sqliteTable(
  'surge_buckets',
  {
    projectId: text('project_id').notNull(),
    scope: text('scope').notNull(),
    /** Minutes since the epoch. */
    minute: integer('minute').notNull(),
    reports: integer('reports').notNull().default(0),
    /**
     * Reporters whose latest report in this scope fell in this minute. Summed over a window it is
     * the exact number of distinct reporters in that window.
     */
    reportersLast: integer('reporters_last').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.scope, t.minute] })],
)

/** When each reporter was last seen in a scope (moves their count between buckets). */
export const surgeReporters = sqliteTable(
  'surge_reporters',
  {
    projectId: text('project_id').notNull(),
    scope: text('scope').notNull(),
    reporter: text('reporter').notNull(),
    minute: integer('minute').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.scope, t.reporter] }),
    index('surge_reporters_minute_idx').on(t.minute),
  ],
)

/** Per scope: an exponentially decayed report count (the baseline) and the surge in progress. */
export const surgeState = sqliteTable(
  'surge_state',
  {
    projectId: text('project_id').notNull(),
    scope: text('scope').notNull(),
    /** Σ exp(-(t - t_i)/τ) over all reports, as of `decayedAt`. Baseline rate ≈ mass / τ. */
    mass: real('mass').notNull(),
    decayedAt: integer('decayed_at').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    activeSurgeId: text('active_surge_id'),
    /** Last time the scope was over its threshold; the surge ends after a quiet cooldown. */
    lastHotAt: integer('last_hot_at'),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.scope] }),
    index('surge_state_active_idx').on(t.projectId, t.activeSurgeId),
  ],
)

/** cluster: one cluster; topic: one distinctive word across clusters; project: everything. */
export const SURGE_SCOPES = ['cluster', 'topic', 'project'] as const

export const surges = sqliteTable(
  'surges',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    scope: text('scope', { enum: SURGE_SCOPES }).notNull(),
    /** cluster scope: the cluster; topic scope: the cluster of the report that crossed the threshold. */
    clusterId: text('cluster_id'),
    /** topic scope: the word (stem, or CJK word) the reports share. */
    topic: text('topic'),
    startedAt: integer('started_at').notNull(),
    /** Reports and distinct reporters in the window when the surge was detected. */
    reports: integer('reports').notNull(),
    reporters: integer('reporters').notNull(),
    /** Reports the baseline expected in that window. */
    expected: real('expected').notNull(),
    windowMinutes: integer('window_minutes').notNull(),
    /** The release named by the report that crossed the threshold. */
    release: text('release'),
    /** The latest deploy before the surge began, if any. */
    deployId: text('deploy_id'),
    deployRelease: text('deploy_release'),
    deployedAt: integer('deployed_at'),
    /** Set when the surge calmed down (no hot window for the cooldown). */
    endedAt: integer('ended_at'),
    /** Updated while the surge goes on. */
    lastHotAt: integer('last_hot_at').notNull(),
    peakReports: integer('peak_reports').notNull(),
  },
  (t) => [
    index('surges_project_started_idx').on(t.projectId, t.startedAt),
    index('surges_cluster_idx').on(t.clusterId, t.startedAt),
    check('surges_scope_valid', sql`${t.scope} IN ('cluster','topic','project')`),
  ],
)

/** Deploy markers sent from CI: `POST /v1/deploys`. */
export const deploys = sqliteTable(
  'deploys',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    release: text('release').notNull(),
    environment: text('environment'),
    url: text('url'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('deploys_project_created_idx').on(t.projectId, t.createdAt)],
)
