import { and, desc, eq, inArray } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { subscriberComponents, subscribers } from '../../db/schema/index.js'
import { sha256Hex } from '../shared/index.js'
import type { Deps } from '../shared/index.js'
import { newId, newSecret } from '../shared/index.js'
import type { Project } from '../projects/index.js'
import type { Subscriber } from './fanout.js'
import { statusPageUrl } from './links.js'
import type { StatusLang } from './i18n/index.js'
import { confirmEmail } from './messages.js'
import { enqueueEmail } from './outbox-port.js'

const RESEND_AFTER_MS = 10 * 60_000

/**
 * E-mail subscription, double opt-in: a confirmation link is mailed and nothing else is sent until
 * it is followed. Asking again re-sends the link at most every 10 minutes (no mail bombing), and
 * the answer is the same whether or not the address was known (no address probing).
 */
export async function subscribeEmail(
  deps: Deps,
  project: Project,
  input: { email: string; componentIds: string[]; locale?: StatusLang },
) {
  const locale = input.locale ?? 'en'
  const email = input.email.trim().toLowerCase()
  const token = newSecret('cfm')
  const tokenHash = sha256Hex(token)
  return deps.db.write(async (tx) => {
    const now = deps.clock.now()
    let row = await tx
      .select()
      .from(subscribers)
      .where(and(eq(subscribers.projectId, project.id), eq(subscribers.kind, 'email'), eq(subscribers.target, email)))
      .get()
    const active = row && row.confirmedAt != null && row.unsubscribedAt == null
    if (!row) {
      row = {
        id: newId('sub', now),
        projectId: project.id,
        kind: 'email',
        target: email,
        format: null,
        secret: null,
        confirmTokenHash: tokenHash,
        confirmedAt: null,
        unsubscribeToken: newSecret('uns'),
        unsubscribedAt: null,
        createdAt: now,
        locale,
      }
      await tx.insert(subscribers).values(row)
    } else if (!active) {
      await tx
        .update(subscribers)
        .set({ confirmTokenHash: tokenHash, confirmedAt: null, unsubscribedAt: null, locale })
        .where(eq(subscribers.id, row.id))
    }
    if (!active) {
      await tx.delete(subscriberComponents).where(eq(subscriberComponents.subscriberId, row.id))
      const ids = [...new Set(input.componentIds)]
      if (ids.length)
        await tx.insert(subscriberComponents).values(ids.map((componentId) => ({ subscriberId: row!.id, componentId })))
      // PUBLIC_URL or the verified domain: a Host header must not choose where the link points.
      const pageUrl = await statusPageUrl(tx, deps.config, project)
      const confirmUrl = `${pageUrl}/subscribe/confirm?token=${encodeURIComponent(token)}`
      await enqueueEmail(tx, deps, {
        projectId: project.id,
        to: email,
        dedupeKey: `confirm:${row.id}:${Math.floor(now / RESEND_AFTER_MS)}`,
        content: confirmEmail({ project, confirmUrl, lang: locale }),
      })
    }
    return { subscriberId: row.id }
  })
}

export async function confirmSubscription(
  deps: Deps,
  projectId: string,
  token: string,
): Promise<Subscriber | undefined> {
  if (!token || token.length > 128) return undefined
  const tokenHash = sha256Hex(token)
  return deps.db.write(async (tx) => {
    const row = await tx
      .select()
      .from(subscribers)
      .where(and(eq(subscribers.projectId, projectId), eq(subscribers.confirmTokenHash, tokenHash)))
      .get()
    if (!row) return undefined
    if (row.confirmedAt == null)
      await tx
        .update(subscribers)
        .set({ confirmedAt: deps.clock.now(), unsubscribedAt: null })
        .where(eq(subscribers.id, row.id))
    return { ...row, confirmedAt: row.confirmedAt ?? deps.clock.now() }
  })
}

export async function findByUnsubscribeToken(db: Reader, projectId: string, token: string) {
  if (!token || token.length > 128) return undefined
  return db
    .select()
    .from(subscribers)
    .where(and(eq(subscribers.projectId, projectId), eq(subscribers.unsubscribeToken, token)))
    .get()
}

export async function unsubscribe(deps: Deps, projectId: string, token: string): Promise<boolean> {
  const row = await findByUnsubscribeToken(deps.db.orm, projectId, token)
  if (!row) return false
  if (row.unsubscribedAt == null)
    await deps.db.write((tx) =>
      tx.update(subscribers).set({ unsubscribedAt: deps.clock.now() }).where(eq(subscribers.id, row.id)),
    )
  return true
}

export async function listSubscribers(db: Reader, projectId: string) {
  const rows = await db
    .select()
    .from(subscribers)
    .where(and(eq(subscribers.projectId, projectId), eq(subscribers.kind, 'email')))
    .orderBy(desc(subscribers.createdAt))
    .limit(1000)
    .all()
  const limits = rows.length
    ? await db
        .select()
        .from(subscriberComponents)
        .where(
          inArray(
            subscriberComponents.subscriberId,
            rows.map((r) => r.id),
          ),
        )
        .all()
    : []
  return rows.map((r) => ({
    ...r,
    componentIds: limits.filter((l) => l.subscriberId === r.id).map((l) => l.componentId),
  }))
}

export async function removeSubscriber(deps: Deps, projectId: string, id: string) {
  await deps.db.write((tx) =>
    tx
      .update(subscribers)
      .set({ unsubscribedAt: deps.clock.now() })
      .where(and(eq(subscribers.projectId, projectId), eq(subscribers.id, id))),
  )
}
