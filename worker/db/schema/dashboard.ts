import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

// Read models for the dashboard, kept exact by triggers on `reports` (migration 0009): every
// intake path, move, merge and deletion updates them in the same statement, so no code path can
// forget to. Sparklines and timelines read a few dozen rows instead of counting reports.

/** Reports per cluster per hour (hour = created_at / 3,600,000). */
export const clusterHourly = sqliteTable(
  'cluster_hourly',
  {
    clusterId: text('cluster_id').notNull(),
    hour: integer('hour').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.hour] })],
)

/** Reports per cluster by where they came from (widget, support · phone, api · email, …). */
export const clusterSources = sqliteTable(
  'cluster_sources',
  {
    clusterId: text('cluster_id').notNull(),
    source: text('source').notNull(),
    /** '' when the source has no channel. */
    channel: text('channel').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.source, t.channel] })],
)
