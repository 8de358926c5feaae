// The attachment rows, written and checked inside the report intake's transaction.
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/client.js'
import { firstRow, runStatement } from '../../../db/raw-sql.js'
import { DomainError } from '../../shared/index.js'
import type { AttachmentType } from '../../../db/schema/index.js'

/** An image whose bytes are already in the store, waiting for its report's transaction. */
export interface StagedAttachment {
  id: string
  storageKey: string
  contentType: AttachmentType
  size: number
  sha256: string
}

export async function recordAttachment(
  tx: Tx,
  reportId: string,
  projectId: string,
  a: StagedAttachment,
  now: number,
): Promise<void> {
  await runStatement(
    tx,
    sql`
    INSERT INTO attachments (id, report_id, project_id, content_type, size, sha256, storage_key, created_at)
    VALUES (${a.id}, ${reportId}, ${projectId}, ${a.contentType}, ${a.size}, ${a.sha256}, ${a.storageKey}, ${now})`,
  )
}

/**
 * A retry of a stored report that carries an image must carry the same image. A retry without one
 * is fine (the browser could not keep its copy; the server has it).
 */
export async function assertSameAttachment(tx: Tx, reportId: string, a: StagedAttachment): Promise<void> {
  const stored = await firstRow<{ sha256: string }>(
    tx,
    sql`SELECT sha256 FROM attachments WHERE report_id = ${reportId}`,
  )
  if (stored?.sha256 !== a.sha256) {
    throw new DomainError(
      'conflict',
      'idempotency_key_reused',
      'This idempotency key was already used for a report with a different screenshot. ' +
        'Send a new key for a new report; retries must repeat the same body and image.',
    )
  }
}

/** Deletes the attachment rows of these reports (inside the caller's transaction) and returns their storage keys. */
export async function deleteAttachmentRows(tx: Tx, reportIds: string[]): Promise<string[]> {
  if (!reportIds.length) return []
  const list = sql.join(
    reportIds.map((v) => sql`${v}`),
    sql`, `,
  )
  const rows = await tx.all<{ storage_key: string }>(
    sql`SELECT storage_key FROM attachments WHERE report_id IN (${list})`,
  )
  if (rows.length) await tx.run(sql`DELETE FROM attachments WHERE report_id IN (${list})`)
  return rows.map((r) => r.storage_key)
}
