// Reporters' personal data: erasing one person on request, and deleting reports past a project's
// retention period. Cluster counters and titles stay right (the clustering engine's `recount`),
// and nothing derived from the deleted text is kept (search index, engine features, titles).
import { sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { recount, setTitle } from '../clustering/index.js'
import { summaryText } from '../clustering/index.js'
import { contactHash } from '../reports/index.js'
import type { Deps } from '../shared/index.js'
import { listProjects, projectSettings } from '../projects/index.js'
import { deleteAttachmentRows } from '../reports/index.js'
import { deleteAttachmentBytes } from '../reports/index.js'

export interface Erased {
  reports: number
  clusters: number
  notices: number
  subscribers: number
  outbox: number
  /** Screenshots deleted with the reports. */
  attachments: number
}

const CHUNK = 400
const inList = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )

interface ReportRow {
  id: string
  cluster_id: string | null
  message: string
  reporter_id: string | null
}

/**
 * Deletes the given reports and everything derived from them, then puts their clusters' counters
 * (reports, distinct reporters, first/last seen, breakdowns) back in line with what is left and
 * re-titles a cluster whose title was taken from a deleted report's text.
 */
async function deleteReports(tx: Tx, rows: ReportRow[], attachmentKeys: string[] = []): Promise<number> {
  if (!rows.length) return 0
  for (let i = 0; i < rows.length; i += CHUNK) {
    const ids = rows.slice(i, i + CHUNK).map((r) => r.id)
    attachmentKeys.push(...(await deleteAttachmentRows(tx, ids))) // the bytes go once this commits
    await tx.run(sql`DELETE FROM report_features WHERE report_id IN (${inList(ids)})`)
    // An undoable merge's record of it.
    await tx.run(sql`DELETE FROM cluster_merge_reports WHERE report_id IN (${inList(ids)})`)
    await tx.run(sql`DELETE FROM reports WHERE id IN (${inList(ids)})`) // the FTS index follows by trigger
  }
  const clusters = new Map<string, Set<string>>()
  for (const r of rows) {
    if (!r.cluster_id) continue
    const titles = clusters.get(r.cluster_id) ?? new Set()
    titles.add(summaryText(r.message))
    clusters.set(r.cluster_id, titles)
  }
  for (const [clusterId, deletedTitles] of clusters) {
    await recount(tx, clusterId)
    const cluster = (await tx.all<{ title: string }>(sql`SELECT title FROM clusters WHERE id = ${clusterId}`))[0]
    // An automatic title starts with its representative's text (title.ts); a human title has none of it.
    if (cluster && [...deletedTitles].some((t) => t && cluster.title.startsWith(t))) {
      const next = (
        await tx.all<{ message: string }>(
          sql`SELECT message FROM reports WHERE cluster_id = ${clusterId} ORDER BY created_at LIMIT 1`,
        )
      )[0]
      if (next) await setTitle(tx, clusterId, next.message)
      else await tx.run(sql`UPDATE clusters SET title = ${'(reports deleted)'} WHERE id = ${clusterId}`)
    }
  }
  return clusters.size
}

/**
 * Erases one reporter across a workspace's projects, found by e-mail and/or by reporter id: the
 * e-mail field, the signed-in user the host app passed (`context.user.email` / `.id`), and the
 * widget's anonymous reporter id. Their reports go, and with them "fixed" notices, status-page
 * e-mail subscriptions, queued e-mails to them and surge bookkeeping under their id.
 */
export async function eraseReporter(
  deps: Deps,
  workspaceId: string,
  who: { email?: string; reporterId?: string },
): Promise<Erased> {
  const email = who.email?.trim().toLowerCase() || undefined
  const reporterId = who.reporterId?.trim() || undefined
  if (!email && !reporterId) throw new Error('eraseReporter needs an e-mail or a reporter id')
  const projectIds = (await listProjects(deps.db.orm, workspaceId)).map((p) => p.id)
  const empty: Erased = { reports: 0, clusters: 0, notices: 0, subscribers: 0, outbox: 0, attachments: 0 }
  if (!projectIds.length) return empty

  const emailHash = email ? await contactHash(email) : undefined
  const attachmentKeys: string[] = []
  const erased = await deps.db.write(async (tx) => {
    const matches: SQL[] = []
    if (email) matches.push(sql`lower(email) = ${email}`, sql`lower(json_extract(context, '$.user.email')) = ${email}`)
    if (reporterId)
      matches.push(sql`reporter_id = ${reporterId}`, sql`json_extract(context, '$.user.id') = ${reporterId}`)
    const find = (conditions: SQL[]) =>
      tx.all<ReportRow>(
        sql`SELECT id, cluster_id, message, reporter_id FROM reports
          WHERE project_id IN (${inList(projectIds)}) AND (${sql.join(conditions, sql` OR `)})`,
      )
    const rows = await find(matches)
    // The same browser's other reports (same anonymous reporter id, no e-mail given) are the same person.
    const reporterIds = [...new Set([reporterId, ...rows.map((r) => r.reporter_id)].filter((x): x is string => !!x))]
    if (reporterIds.length) {
      const seen = new Set(rows.map((r) => r.id))
      for (const r of await find([sql`reporter_id IN (${inList(reporterIds)})`])) if (!seen.has(r.id)) rows.push(r)
    }
    const result = { ...empty }
    result.clusters = await deleteReports(tx, rows, attachmentKeys)
    result.reports = rows.length
    result.attachments = attachmentKeys.length
    if (reporterIds.length) {
      result.notices = (
        await tx.run(
          sql`DELETE FROM notices
            WHERE project_id IN (${inList(projectIds)}) AND reporter_id IN (${inList(reporterIds)})`,
        )
      ).rowsAffected
    }
    // A customer added by support: forget which random id stood for them.
    const customer = [
      ...(reporterIds.length ? [sql`reporter_id IN (${inList(reporterIds)})`] : []),
      ...(emailHash ? [sql`contact_hash = ${emailHash}`] : []),
    ]
    if (customer.length)
      await tx.run(
        sql`DELETE FROM customer_reporters
          WHERE project_id IN (${inList(projectIds)}) AND (${sql.join(customer, sql` OR `)})`,
      )
    const surgeKeys = [...reporterIds.map((r) => `r:${r}`), ...(email ? [`e:${email}`] : [])]
    await tx.run(
      sql`DELETE FROM surge_reporters
        WHERE project_id IN (${inList(projectIds)}) AND reporter IN (${inList(surgeKeys)})`,
    )
    // The person → first address rows of surge counting (surge/batch.ts): scope '@' + person key.
    const personScopes = [...reporterIds.flatMap((r) => [`@${r}`, `@u:${r}`]), ...(email ? [`@e:${email}`] : [])]
    await tx.run(
      sql`DELETE FROM surge_reporters
        WHERE project_id IN (${inList(projectIds)}) AND scope IN (${inList(personScopes)})`,
    )
    if (email) {
      const subs = await tx.all<{ id: string }>(
        sql`SELECT id FROM subscribers
          WHERE project_id IN (${inList(projectIds)}) AND kind = 'email' AND lower(target) = ${email}`,
      )
      if (subs.length) {
        const ids = subs.map((s) => s.id)
        await tx.run(sql`DELETE FROM subscriber_components WHERE subscriber_id IN (${inList(ids)})`)
        result.subscribers = (await tx.run(sql`DELETE FROM subscribers WHERE id IN (${inList(ids)})`)).rowsAffected
      }
      const queued = await tx.all<{ id: string }>(
        sql`SELECT id FROM outbox WHERE channel = 'email' AND lower(target) = ${email}`,
      )
      if (queued.length) {
        const ids = queued.map((q) => q.id)
        await tx.run(sql`DELETE FROM deliveries WHERE outbox_id IN (${inList(ids)})`)
        result.outbox = (await tx.run(sql`DELETE FROM outbox WHERE id IN (${inList(ids)})`)).rowsAffected
      }
    }
    return result
  })
  // Rows are gone with the reports; now the bytes (a failure here leaves orphans the sweep job deletes).
  await deleteAttachmentBytes(deps, attachmentKeys)
  return erased
}

/** A project's retention in days from its settings (`retention_days`), or undefined for "keep". */
export function retentionDaysOf(settings: Record<string, unknown>): number | undefined {
  const days = Number(settings.retention_days)
  return Number.isFinite(days) && days >= 1 ? Math.floor(days) : undefined
}

/**
 * Background job: deletes reports older than each project's retention, a bounded batch per
 * transaction so the single writer is never held long (ingest keeps flowing in between).
 */
export async function applyRetention(deps: Deps, opts: { batch?: number } = {}): Promise<{ reports: number }> {
  const batch = opts.batch ?? 500
  let total = 0
  const projects = await deps.db.orm.all<{ id: string; settings: string }>(
    sql`SELECT id, settings FROM projects WHERE settings LIKE '%retention_days%'`,
  )
  for (const p of projects) {
    const days = retentionDaysOf(projectSettings(p as never))
    if (!days) continue
    const cutoff = deps.clock.now() - days * 86400_000
    for (;;) {
      const attachmentKeys: string[] = []
      const deleted = await deps.db.write(async (tx) => {
        const rows = await tx.all<ReportRow>(
          sql`SELECT id, cluster_id, message, reporter_id FROM reports
            WHERE project_id = ${p.id} AND created_at < ${cutoff} ORDER BY created_at LIMIT ${batch}`,
        )
        await deleteReports(tx, rows, attachmentKeys)
        return rows.length
      })
      await deleteAttachmentBytes(deps, attachmentKeys)
      total += deleted
      if (deleted < batch) break
    }
  }
  return { reports: total }
}
