import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * Fixed-window request counters for the database rate limiter (worker/http/rate-limit.ts), used
 * where memory is not shared between requests (Workers isolates). `key` is a SHA-256 of the
 * limit's name and subject (project key, client address, e-mail), so no address is stored in
 * the clear; rows are deleted once their window is over (background job prune-rate-limits).
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('rate_limits_window_idx').on(t.windowStart)],
)

/** Abuse turned away per project and day: honeypot hits, spam refusals, rate-limited requests. */
export const ABUSE_KINDS = ['honeypot', 'spam_links', 'spam_repeated', 'rate_limited'] as const
export type AbuseKind = (typeof ABUSE_KINDS)[number]

export const abuseCounts = sqliteTable(
  'abuse_counts',
  {
    projectId: text('project_id').notNull(),
    kind: text('kind', { enum: ABUSE_KINDS }).notNull(),
    /** UTC day as YYYY-MM-DD. */
    day: text('day').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.kind, t.day] })],
)
