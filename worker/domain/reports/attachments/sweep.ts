// Deleting attachment bytes: after a report is erased or past retention (its rows are gone in the
// same transaction as the report), and bytes no row points at (a crash between storing an image
// and committing its report, or a failed delete), found by the `sweep-attachments` job.
import { sql } from 'drizzle-orm'
import type { Deps } from '../../shared/index.js'
import { idTime } from '../../shared/index.js'

/** Deletes bytes whose rows were deleted (call after the transaction committed). */
export async function deleteAttachmentBytes(deps: Deps, keys: string[]): Promise<void> {
  if (keys.length && deps.attachments) await deps.attachments.delete(keys)
}

/**
 * Background job: bytes in the store that no attachment row names and that are older than an hour
 * (younger ones may belong to a report whose transaction is still running) are deleted.
 */
export async function sweepOrphanAttachments(
  deps: Deps,
  opts: { graceMs?: number } = {},
): Promise<{ deleted: number }> {
  const store = deps.attachments
  if (!store?.list) return { deleted: 0 }
  const cutoff = deps.clock.now() - (opts.graceMs ?? 3600_000)
  let deleted = 0
  for await (const keys of store.list()) {
    const old = keys.filter((k) => (idTime(k.split('/')[1] ?? '') ?? 0) < cutoff)
    if (!old.length) continue
    const known = new Set(
      (
        await deps.db.orm.all<{ storage_key: string }>(
          sql`SELECT storage_key FROM attachments WHERE storage_key IN (${sql.join(
            old.map((k) => sql`${k}`),
            sql`, `,
          )})`,
        )
      ).map((r) => r.storage_key),
    )
    const orphans = old.filter((k) => !known.has(k))
    if (orphans.length) await store.delete(orphans)
    deleted += orphans.length
  }
  return { deleted }
}
