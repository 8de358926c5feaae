import { and, desc, eq, isNotNull, isNull, min } from 'drizzle-orm'
import type { Reader, Tx } from '../../db/client.js'
import { incidents, notices, reports } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { newId } from '../shared/index.js'
import type { Incident } from './incidents.js'
import { reportsOfIncidentWhere } from './incident-reports.js'
import { isServerAssignedReporter } from '../reports/index.js'
import type { StatusLang } from './i18n/index.js'

export type Notice = typeof notices.$inferSelect

/**
 * A private incident's title never leaves the dashboard, not even towards the people who reported
 * it: a placeholder stands in (English unless the caller passes the reader's own).
 */
export const noticeTitle = (
  incident: Pick<Incident, 'title' | 'visibility'>,
  placeholder = 'The problem you reported',
) => (incident.visibility === 'public' ? incident.title : placeholder)

/** The placeholder as the widget shows it, in the widget's own register (您, as its zh-CN texts). */
export const WIDGET_PLACEHOLDER_TITLE: Record<StatusLang, string> = {
  en: 'The problem you reported',
  'zh-CN': '您报告的问题',
}

export const formatDay = (ms: number) =>
  new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

export const fixedMessage = (reportedAt: number) =>
  `The problem you reported on ${formatDay(reportedAt)} has been fixed.`

/**
 * Each anonymous reporter of an incident (an id a widget holds), with when they first reported
 * it. Ids the server assigned to customers added by support are left out: no browser holds them,
 * and those customers hear by e-mail.
 */
export async function reportersOf(db: Reader, incidentId: string) {
  const rows = (await db
    .select({ reporterId: reports.reporterId, reportedAt: min(reports.createdAt) })
    .from(reports)
    .where(and(reportsOfIncidentWhere(incidentId), isNotNull(reports.reporterId)))
    .groupBy(reports.reporterId)
    .all()) as { reporterId: string; reportedAt: number }[]
  return rows.filter((r) => !isServerAssignedReporter(r.reporterId))
}

/**
 * Each e-mail address left on a report of the incident (lower-cased), with its first report time
 * and the language of its latest report that named one (the widget's `locale`), so the e-mail
 * telling them goes in the language they wrote in.
 */
export async function reporterEmailsOf(db: Reader, incidentId: string) {
  const rows = await db
    .select({ email: reports.email, reportedAt: reports.createdAt, locale: reports.locale })
    .from(reports)
    .where(and(reportsOfIncidentWhere(incidentId), isNotNull(reports.email)))
    .orderBy(reports.createdAt)
    .all()
  const byEmail = new Map<string, { email: string; reportedAt: number; locale: string | null }>()
  for (const r of rows) {
    const email = r.email!.trim().toLowerCase()
    if (!email) continue
    const seen = byEmail.get(email)
    if (!seen) byEmail.set(email, { email, reportedAt: r.reportedAt, locale: r.locale ?? null })
    else if (r.locale) seen.locale = r.locale
  }
  return [...byEmail.values()]
}

/**
 * One notice per reporter's browser. The unique (project, reporter, dedupe key) index makes this
 * idempotent: resolving twice (or a retried job) never shows the message twice.
 */
export async function createNotices(
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  incident: Incident,
  opts: { kind: 'resolved' | 'update'; dedupeKey: string; resolvedAt: number | null; message?: string },
): Promise<number> {
  const now = deps.clock.now()
  const reporters = await reportersOf(tx, incident.id)
  let created = 0
  for (const r of reporters) {
    const result = await tx
      .insert(notices)
      .values({
        id: newId('ntc', now),
        projectId: incident.projectId,
        incidentId: incident.id,
        reporterId: r.reporterId,
        kind: opts.kind,
        dedupeKey: opts.dedupeKey,
        message: opts.message ?? fixedMessage(r.reportedAt),
        reportedAt: r.reportedAt,
        resolvedAt: opts.resolvedAt,
        createdAt: now,
      })
      .onConflictDoNothing()
    created += result.rowsAffected
  }
  return created
}

/** Unseen notices for one browser, newest first (the widget shows each once). */
export async function listUnseenNotices(db: Reader, projectId: string, reporterId: string, placeholder?: string) {
  // Never for server-assigned ids, including notices stored for them before they were excluded.
  if (isServerAssignedReporter(reporterId)) return []
  const rows = await db
    .select({ notice: notices, title: incidents.title, visibility: incidents.visibility })
    .from(notices)
    .innerJoin(incidents, eq(incidents.id, notices.incidentId))
    .where(and(eq(notices.projectId, projectId), eq(notices.reporterId, reporterId), isNull(notices.seenAt)))
    .orderBy(desc(notices.createdAt))
    .limit(20)
    .all()
  return rows.map((r) => ({ ...r.notice, title: noticeTitle(r, placeholder) }))
}

/** Marks one browser's notice seen: only with the reporter id it was created for. */
export async function markNoticeSeen(deps: Deps, projectId: string, id: string, reporterId: string): Promise<boolean> {
  if (isServerAssignedReporter(reporterId)) return false
  return deps.db.write(async (tx) => {
    const filters = [eq(notices.projectId, projectId), eq(notices.id, id), eq(notices.reporterId, reporterId)]
    const notice = await tx
      .select({ seenAt: notices.seenAt })
      .from(notices)
      .where(and(...filters))
      .get()
    if (!notice) return false
    if (notice.seenAt == null)
      await tx
        .update(notices)
        .set({ seenAt: deps.clock.now() })
        .where(and(...filters))
    return true
  })
}

export async function noticeCounts(db: Reader, incidentId: string) {
  const rows = await db
    .select({ kind: notices.kind, seenAt: notices.seenAt })
    .from(notices)
    .where(eq(notices.incidentId, incidentId))
    .all()
  return { total: rows.length, seen: rows.filter((r) => r.seenAt != null).length }
}
