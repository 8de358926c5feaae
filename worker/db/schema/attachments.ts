import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number]

/**
 * A customer's screenshot, one per report. The bytes live outside the database (a directory on
 * Node, an R2 bucket on Workers) under `storage_key`; this row is written in the report's own
 * transaction, so a report and its image appear together or not at all (domain/attachments).
 */
export const attachments = sqliteTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    reportId: text('report_id').notNull(),
    projectId: text('project_id').notNull(),
    /** Sniffed from the bytes (magic numbers), never the type the client declared. */
    contentType: text('content_type', { enum: ATTACHMENT_TYPES }).notNull(),
    size: integer('size').notNull(),
    /** SHA-256 of the bytes: a retry under the same idempotency key must carry the same image. */
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('attachments_report_unique').on(t.reportId),
    index('attachments_project_idx').on(t.projectId),
    check('attachments_type_valid', sql`${t.contentType} IN ('image/png','image/jpeg','image/webp')`),
    check('attachments_size_valid', sql`${t.size} BETWEEN 1 AND 2097152`),
  ],
)
