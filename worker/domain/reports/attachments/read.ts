// Reading attachments for responders (the route checks access to the report's project first).
import { sql } from 'drizzle-orm'
import type { Reader } from '../../../db/client.js'
import type { AttachmentType } from '../../../db/schema/index.js'
import type { Deps } from '../../shared/index.js'

export interface AttachmentInfo {
  reportId: string
  projectId: string
  contentType: AttachmentType
  size: number
  storageKey: string
}

const inList = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )

export async function findAttachment(db: Reader, reportId: string): Promise<AttachmentInfo | undefined> {
  const rows = await db.all<{
    report_id: string
    project_id: string
    content_type: AttachmentType
    size: number
    storage_key: string
  }>(sql`SELECT report_id, project_id, content_type, size, storage_key FROM attachments WHERE report_id = ${reportId}`)
  const r = rows[0]
  return (
    r && {
      reportId: r.report_id,
      projectId: r.project_id,
      contentType: r.content_type,
      size: Number(r.size),
      storageKey: r.storage_key,
    }
  )
}

/** Which of these reports carry a screenshot (report id → type and size), for report lists. */
export async function attachmentsOf(
  db: Reader,
  reportIds: string[],
): Promise<Map<string, { contentType: string; size: number }>> {
  const out = new Map<string, { contentType: string; size: number }>()
  if (!reportIds.length) return out
  const rows = await db.all<{ report_id: string; content_type: string; size: number }>(
    sql`SELECT report_id, content_type, size FROM attachments WHERE report_id IN (${inList(reportIds)})`,
  )
  for (const r of rows) out.set(r.report_id, { contentType: r.content_type, size: Number(r.size) })
  return out
}

/** How many of a cluster's reports came with a screenshot. */
export async function screenshotCount(db: Reader, clusterId: string): Promise<number> {
  const rows = await db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM attachments a JOIN reports r ON r.id = a.report_id WHERE r.cluster_id = ${clusterId}`,
  )
  return Number(rows[0]?.n ?? 0)
}

export async function readAttachmentBytes(deps: Deps, info: AttachmentInfo): Promise<Uint8Array | undefined> {
  return deps.attachments?.get(info.storageKey)
}
