import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * One row `/health` rewrites every few seconds (worker/domain/shared/health.ts): a real committed write
 * through the same path as every other, so a database that still answers reads but can no longer
 * write (disk full, read-only volume) is reported as unhealthy.
 */
export const healthProbes = sqliteTable('health_probes', {
  id: text('id').primaryKey(),
  at: integer('at').notNull(),
})
