import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

// The report pipeline (worker/domain/pipeline): intake stores a report and nothing else; the
// pipeline clusters and counts it later, in batches. These tables let several processes sharing
// one libSQL server take turns safely, and let in-memory copies of engine state know when they
// are stale.

/**
 * Who processes pending reports now: one holder at a time, until `expires_at` (wall-clock ms).
 * Every batch renews it inside its own transaction; when a holder dies, another takes over once
 * the lease has lapsed.
 */
export const pipelineLeases = sqliteTable('pipeline_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
})

/**
 * Per project: bumped in the same transaction as every change to clustering or surge state
 * (a pipeline batch, refinement, a responder's merge / move / split / "not related", settings,
 * erasure). A process holding engine state in memory compares it before trusting that state.
 */
export const engineVersions = sqliteTable('engine_versions', {
  projectId: text('project_id').primaryKey(),
  version: integer('version').notNull(),
})
