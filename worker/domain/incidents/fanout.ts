import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { projects, subscriberComponents, subscribers } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import type { Incident, IncidentUpdate } from './incidents.js'
import { createNotices, reporterEmailsOf } from './notices.js'
import type { Project } from '../projects/index.js'
import { componentsOfIncidents } from './components.js'
import { statusPageUrl } from './links.js'
import { notifyWebhooks, type WebhookEvent } from '../notifications/index.js'
import { messagesFor } from './i18n/index.js'
import { reporterEmail, reporterLang, STATUS_LABEL, updateEmail } from './messages.js'
import { enqueueEmail } from './outbox-port.js'

export type Subscriber = typeof subscribers.$inferSelect

/** Subscribers who should hear about something touching `componentIds` (none = the whole project). */
export async function activeSubscribers(tx: Tx, projectId: string, componentIds: string[]): Promise<Subscriber[]> {
  const list = await tx
    .select()
    .from(subscribers)
    .where(
      and(
        eq(subscribers.projectId, projectId),
        eq(subscribers.kind, 'email'),
        isNull(subscribers.unsubscribedAt),
        isNotNull(subscribers.confirmedAt),
      ),
    )
    .all()
  if (list.length === 0) return []
  const limits = await tx
    .select()
    .from(subscriberComponents)
    .where(
      inArray(
        subscriberComponents.subscriberId,
        list.map((s) => s.id),
      ),
    )
    .all()
  const wanted = new Map<string, Set<string>>()
  for (const l of limits) wanted.set(l.subscriberId, (wanted.get(l.subscriberId) ?? new Set()).add(l.componentId))
  return list.filter((s) => {
    const only = wanted.get(s.id)
    return !only || componentIds.some((c) => only.has(c))
  })
}

export const unsubscribeUrl = (pageUrl: string, s: Pick<Subscriber, 'unsubscribeToken'>) =>
  `${pageUrl}/unsubscribe?token=${encodeURIComponent(s.unsubscribeToken)}`

/**
 * Runs inside the transaction that stored an incident update: every channel that is not read on
 * demand (e-mail, webhooks, reporters' browsers) gets its copy queued here, with a dedupe key, so
 * the update is delivered once or — if the transaction rolls back — not at all.
 */
export async function afterUpdate(
  tx: Tx,
  deps: Deps,
  incident: Incident,
  update: IncidentUpdate,
  opts: { previousStatus?: string },
) {
  const project = (await tx.select().from(projects).where(eq(projects.id, incident.projectId)).get())!
  const pageUrl = await statusPageUrl(tx, deps.config, project)
  if (incident.visibility === 'public')
    await announceToSubscribers(tx, deps, project, incident, update, pageUrl, opts.previousStatus === undefined)
  if (update.status === 'resolved' && opts.previousStatus !== 'resolved')
    await tellReporters(tx, deps, project, incident, { kind: 'resolved', pageUrl, at: update.createdAt })
}

async function announceToSubscribers(
  tx: Tx,
  deps: Deps,
  project: Project,
  incident: Incident,
  update: IncidentUpdate,
  pageUrl: string,
  first: boolean,
) {
  const affected = (await componentsOfIncidents(tx, [incident.id])).get(incident.id) ?? []
  for (const s of await activeSubscribers(
    tx,
    project.id,
    affected.map((c) => c.componentId),
  )) {
    await enqueueEmail(tx, deps, {
      projectId: project.id,
      to: s.target,
      dedupeKey: `update:${update.id}:${s.id}`,
      content: updateEmail({
        project,
        incident,
        update,
        pageUrl,
        unsubscribeUrl: unsubscribeUrl(pageUrl, s),
        lang: s.locale,
      }),
    })
  }
  // Webhook subscribers (Slack-compatible or signed generic JSON, per project or per component) are
  // the project's webhooks that chose incident events (worker/domain/notifications/webhooks.ts).
  const event: WebhookEvent = first
    ? 'incident.created'
    : update.status === 'resolved'
      ? 'incident.resolved'
      : 'incident.updated'
  const incidentUrl = `${pageUrl}/incidents/${incident.id}`
  await notifyWebhooks(tx, deps, project.id, `incident-update:${update.id}`, {
    event,
    title: `${STATUS_LABEL[update.status]}: ${incident.title}`,
    text: update.message,
    url: incidentUrl,
    fields: [
      { label: 'Status', value: STATUS_LABEL[update.status] },
      { label: 'Impact', value: incident.impact },
      ...(affected.length ? [{ label: 'Components', value: affected.map((c) => c.name).join(', ') }] : []),
    ],
    data: {
      page: { id: project.id, name: project.name, url: pageUrl },
      incident: {
        id: incident.id,
        name: incident.title,
        impact: incident.impact,
        status: update.status,
        url: incidentUrl,
        created_at: new Date(incident.createdAt).toISOString(),
        components: affected.map((c) => ({ id: c.componentId, name: c.name, status: c.status })),
      },
      incident_update: {
        id: update.id,
        status: update.status,
        body: update.message,
        created_at: new Date(update.createdAt).toISOString(),
      },
    },
    componentIds: affected.map((c) => c.componentId),
    at: update.createdAt,
  })
}

/**
 * Closes the loop with the customers who reported the problem: a notice for each anonymous
 * reporter's browser, and one e-mail per address left on a report (or "notify me").
 */
export async function tellReporters(
  tx: Tx,
  deps: Deps,
  project: Project,
  incident: Incident,
  opts:
    | { kind: 'resolved'; pageUrl: string; at: number }
    | { kind: 'update'; pageUrl: string; at: number; message: string; key: string },
): Promise<{ notices: number; emails: number }> {
  const dedupe = opts.kind === 'resolved' ? `resolved:${incident.id}` : `update:${opts.key}`
  const notices = await createNotices(tx, deps, incident, {
    kind: opts.kind,
    dedupeKey: dedupe,
    resolvedAt: opts.kind === 'resolved' ? opts.at : null,
    message: opts.kind === 'update' ? opts.message : undefined,
  })
  let emails = 0
  for (const r of await reporterEmailsOf(tx, incident.id)) {
    const lang = reporterLang(r.locale, project)
    const t = messagesFor(lang)
    const shownTitle = incident.visibility === 'public' ? incident.title : t.mailReportedProblem
    const content =
      opts.kind === 'resolved'
        ? reporterEmail({
            project,
            heading: t.mailFixedHeading(shownTitle),
            message: t.mailFixedText(t.day(r.reportedAt)),
            pageUrl: opts.pageUrl,
            lang,
          })
        : reporterEmail({
            project,
            heading: t.mailUpdateHeading(shownTitle),
            message: opts.message,
            pageUrl: opts.pageUrl,
            lang,
          })
    if (
      await enqueueEmail(tx, deps, {
        projectId: project.id,
        to: r.email,
        dedupeKey: `reporter:${dedupe}:${r.email}`,
        content,
      })
    )
      emails++
  }
  return { notices, emails }
}
