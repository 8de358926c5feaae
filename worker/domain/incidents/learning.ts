import { and, desc, eq, ne, sql } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { incidents, reports, responders } from '../../db/schema/index.js'
import { getIncident } from './incidents.js'
import { reportsOfIncidentWhere } from './incident-reports.js'
import { noticeCounts } from './notices.js'

// Learning from incidents together with customer support: when customers first told us, when we
// declared and spoke, when it was over, and who and what was affected.

export interface IncidentLearning {
  incidentId: string
  title: string
  impact: string
  visibility: string
  status: string
  firstReportAt: number | null
  declaredAt: number
  firstPublicUpdateAt: number | null
  resolvedAt: number | null
  /** Declared minus first customer report (0 when we knew before any customer told us). */
  timeToDetectMs: number | null
  /** First public word minus first customer report. */
  timeToFirstUpdateMs: number | null
  /** Resolved minus first customer report (or declared when no customer reported it). */
  customerImpactMs: number | null
  reports: number
  reporters: number
  affectedPresses: number
  releases: { release: string; reports: number }[]
  notices: { total: number; seen: number }
  timeline: {
    at: number
    kind: 'report' | 'declared' | 'update' | 'resolved'
    status?: string
    text: string
    internalNote?: string | null
    author?: string | null
  }[]
}

export async function incidentLearning(db: Reader, incidentId: string): Promise<IncidentLearning | undefined> {
  const incident = await getIncident(db, incidentId)
  if (!incident) return undefined
  const where = reportsOfIncidentWhere(incidentId)
  const stats = (await db
    .select({
      // A "me too" press is counted as `affected`, not as a report (the cluster page does not list it either).
      reports: sql<number>`sum(CASE WHEN ${reports.source} <> 'affected' THEN 1 ELSE 0 END)`,
      reporters: sql<number>`count(DISTINCT coalesce(${reports.reporterId}, lower(${reports.email}), ${reports.id}))`,
      affected: sql<number>`sum(CASE WHEN ${reports.source} = 'affected' THEN 1 ELSE 0 END)`,
      firstCustomer: sql<number | null>`min(CASE WHEN ${reports.source} <> 'affected' THEN ${reports.createdAt} END)`,
    })
    .from(reports)
    .where(where)
    .get())!
  const releases = (await db
    .select({ release: reports.release, reports: sql<number>`count(*)` })
    .from(reports)
    .where(and(where, sql`${reports.release} IS NOT NULL`))
    .groupBy(reports.release)
    .orderBy(desc(sql`count(*)`))
    .all()) as { release: string; reports: number }[]
  const firstReports = await db
    .select({ at: reports.createdAt, message: reports.message, release: reports.release })
    .from(reports)
    .where(and(where, ne(reports.source, 'affected')))
    .orderBy(reports.createdAt)
    .limit(3)
    .all()
  const authorIds = [...new Set(incident.updates.map((u) => u.authorId).filter((a): a is string => !!a))]
  const authors = new Map<string, string>()
  for (const id of authorIds) {
    const r = await db
      .select({ name: responders.name, email: responders.email })
      .from(responders)
      .where(eq(responders.id, id))
      .get()
    if (r) authors.set(id, r.name || r.email)
  }

  const chronological = [...incident.updates].reverse()
  const firstReportAt = stats.firstCustomer ?? null
  const declaredAt = incident.createdAt
  const firstPublicUpdateAt = incident.visibility === 'public' ? (chronological[0]?.createdAt ?? null) : null
  const resolvedAt = incident.status === 'resolved' ? incident.updatedAt : null
  const start = firstReportAt != null && firstReportAt < declaredAt ? firstReportAt : declaredAt

  const timeline: IncidentLearning['timeline'] = [
    ...firstReports.map((r, i) => ({
      at: r.at,
      kind: 'report' as const,
      text:
        `${i === 0 ? 'First customer report' : 'Customer report'}: ` +
        `“${Array.from(r.message).slice(0, 200).join('')}”${r.release ? ` (${r.release})` : ''}`,
    })),
    { at: declaredAt, kind: 'declared' as const, text: `Incident declared: ${incident.title}` },
    ...chronological.map((u) => ({
      at: u.createdAt,
      kind: u.status === 'resolved' ? ('resolved' as const) : ('update' as const),
      status: u.status,
      text: u.message,
      internalNote: u.internalNote,
      author: u.authorId ? (authors.get(u.authorId) ?? null) : null,
    })),
  ].sort((a, b) => a.at - b.at)

  return {
    incidentId: incident.id,
    title: incident.title,
    impact: incident.impact,
    visibility: incident.visibility,
    status: incident.status,
    firstReportAt,
    declaredAt,
    firstPublicUpdateAt,
    resolvedAt,
    timeToDetectMs: firstReportAt == null ? null : Math.max(0, declaredAt - firstReportAt),
    timeToFirstUpdateMs:
      firstReportAt == null || firstPublicUpdateAt == null ? null : Math.max(0, firstPublicUpdateAt - firstReportAt),
    customerImpactMs: resolvedAt == null ? null : resolvedAt - start,
    reports: Number(stats.reports ?? 0),
    reporters: Number(stats.reporters ?? 0),
    affectedPresses: Number(stats.affected ?? 0),
    releases,
    notices: await noticeCounts(db, incident.id),
    timeline,
  }
}

export const formatDuration = (ms: number | null) => {
  if (ms == null) return '—'
  const m = Math.round(ms / 60_000)
  if (m < 1) return `${Math.round(ms / 1000)} s`
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  return h < 48 ? `${h} h ${m % 60} min` : `${(h / 24).toFixed(1)} days`
}
const when = (ms: number | null) =>
  ms == null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

// Customer text (report messages, releases) and our own (titles, updates, notes, names) go into
// the export as text: a message like `<img src=x onerror=…>` or `[Sign in](https://evil…)` must be
// shown as written wherever the Markdown is rendered (GitHub, a wiki, a docs site), never as
// markup. CommonMark lets any ASCII punctuation be backslash-escaped; these are the characters
// that can start markup inline (HTML, links, emphasis, code, tables, strikethrough, math, MDX).
const MD_SPECIAL = /[\\`*_{}[\]<>#|~&$!]/g
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]+/g
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/** Text that any Markdown renderer shows as written, on one line. */
export function markdownText(s: string): string {
  return s.replace(LINE_BREAKS, ' ').replace(CONTROLS, '').replace(MD_SPECIAL, '\\$&')
}

/** The same at the start of a line, where `- `, `+ ` and `1. ` would begin a list. */
const markdownLineStart = (s: string) =>
  markdownText(s.trimStart())
    .replace(/^([-+])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2')

/** A code span whose fence is longer than any run of backticks inside it, so it cannot be closed early. */
function markdownCode(s: string): string {
  const text = s.replace(LINE_BREAKS, ' ').replace(CONTROLS, '')
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** A post-incident summary in Markdown, for the review with customer support. Internal notes are marked. */
export function learningMarkdown(l: IncidentLearning, projectName: string): string {
  const sinceFirst = (at: number | null) =>
    l.firstReportAt == null || at == null ? '—' : formatDuration(at - l.firstReportAt)
  const releases = l.releases.length
    ? l.releases.map((r) => `${markdownCode(r.release)} (${r.reports})`).join(', ')
    : 'none recorded'
  const lines = [
    `# ${markdownText(l.title)}`,
    '',
    `${markdownLineStart(projectName)} · impact **${l.impact}** · ${l.visibility} · status **${l.status}**`,
    '',
    '## Key moments',
    '',
    '| Moment | Time (UTC) | Since first customer report |',
    '|---|---|---|',
    `| First customer report | ${when(l.firstReportAt)} | 0 |`,
    `| Incident declared | ${when(l.declaredAt)} | ${sinceFirst(l.declaredAt)} |`,
    `| First public update | ${when(l.firstPublicUpdateAt)} | ${sinceFirst(l.firstPublicUpdateAt)} |`,
    `| Resolved | ${when(l.resolvedAt)} | ${sinceFirst(l.resolvedAt)} |`,
    '',
    `- **Time to detect** (first customer report → declared): ${formatDuration(l.timeToDetectMs)}`,
    `- **Time to first public update**: ${formatDuration(l.timeToFirstUpdateMs)}`,
    `- **Customer impact** (first report or declaration → resolved): ${formatDuration(l.customerImpactMs)}`,
    `- **Reports**: ${l.reports} from ${l.reporters} distinct reporter${l.reporters === 1 ? '' : 's'} ` +
      `(${l.affectedPresses} pressed “affected / notify me”)`,
    `- **Reporters told it was fixed**: ${l.notices.total} in-app notice${l.notices.total === 1 ? '' : 's'} ` +
      `(${l.notices.seen} seen)`,
    `- **Releases involved**: ${releases}`,
    '',
    '## Timeline',
    '',
    ...l.timeline.map((t) => {
      const by = t.author ? ` (${markdownText(t.author)})` : ''
      const status = t.kind === 'update' || t.kind === 'resolved' ? `${t.status}${by}: ` : ''
      const head = `- **${when(t.at)}** — ${status}${markdownText(t.text)}`
      return t.internalNote ? `${head}\n  - _Internal note:_ ${markdownText(t.internalNote)}` : head
    }),
    '',
  ]
  return lines.join('\n')
}

/** The same figures across a project's incidents (newest first), with medians. */
export async function projectLearning(db: Reader, projectId: string, limit = 50) {
  const list = await db
    .select({ id: incidents.id })
    .from(incidents)
    .where(eq(incidents.projectId, projectId))
    .orderBy(desc(incidents.createdAt))
    .limit(limit)
    .all()
  const rows = (await Promise.all(list.map((i) => incidentLearning(db, i.id)))).filter(
    (x): x is IncidentLearning => !!x,
  )
  const median = (values: (number | null)[]) => {
    const v = values.filter((x): x is number => x != null).sort((a, b) => a - b)
    if (v.length === 0) return null
    const mid = Math.floor(v.length / 2)
    return v.length % 2 ? v[mid]! : Math.round((v[mid - 1]! + v[mid]!) / 2)
  }
  return {
    incidents: rows.length,
    customerReported: rows.filter((r) => r.firstReportAt != null && r.firstReportAt <= r.declaredAt).length,
    medianTimeToDetectMs: median(rows.map((r) => r.timeToDetectMs)),
    medianTimeToFirstUpdateMs: median(rows.map((r) => r.timeToFirstUpdateMs)),
    medianCustomerImpactMs: median(rows.map((r) => r.customerImpactMs)),
    reports: rows.reduce((n, r) => n + r.reports, 0),
    reporters: rows.reduce((n, r) => n + r.reporters, 0),
    rows: rows.map(({ timeline: _t, ...rest }) => rest),
  }
}
