/**
 * The notification outbox. A notification is a row written in the SAME transaction as the event
 * that causes it (a surge, an incident update), so the two commit together: an event is never
 * recorded without its notifications, nor notified without being recorded. A deliverer then claims
 * due rows, sends them, and records every attempt; failures are retried with exponential backoff.
 *
 * Guarantees: a dedupe key is enqueued at most once (unique index). A row is claimed by one
 * deliverer at a time (conditional UPDATE inside the single write transaction), and is marked
 * `sent` only after a 2xx. If a process dies between the request and recording its answer, the
 * claim expires and the row is sent again — receivers get `X-Earshot-Delivery` (the outbox id,
 * stable across attempts) to drop such rare repeats.
 */
import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { outbox, type OutboxChannel } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { newId } from '../shared/index.js'

export interface EnqueueInput {
  channel: OutboxChannel
  /** Webhook URL or e-mail address. */
  target: string
  /** Webhook: the JSON body to POST. E-mail: { subject, text, html? }. */
  payload: unknown
  /** Never enqueued twice: e.g. `surge:<surge id>:<webhook id>`, `incident-update:<id>:<subscriber id>`. */
  dedupeKey: string
  projectId?: string
  /** When the target is a row of `webhooks`: its URL and secret are read at delivery time. */
  webhookId?: string
  /** For other webhook targets: the signing secret, sealed with `encryptSecret(config, secret)`. */
  secretEnc?: string
  /** Defaults to now. If the clock is set back to before the row was created, it is due at once. */
  notBefore?: number
}

export interface EmailMessage {
  to: string
  subject: string
  text: string
  html?: string
  headers?: Record<string, string>
}
export type SendEmail = (message: EmailMessage) => Promise<void>

export interface DeliverOptions {
  /**
   * How webhooks are POSTed. The Node entry passes `nodeWebhookFetch` (node-fetch.ts: resolves,
   * checks and connects to the same addresses); on Workers the global fetch, which cannot reach
   * private networks, is the right one.
   */
  fetch?: typeof fetch
  /** Without it e-mail rows are left for a deliverer that has one. */
  sendEmail?: SendEmail
  /** Rows per run. */
  limit?: number
  /** Per-request timeout. */
  timeoutMs?: number
}

export interface DeliverResult {
  claimed: number
  sent: number
  retrying: number
  failed: number
}

export const MAX_ATTEMPTS = 10
/** A claim outlives the request timeout by a wide margin; after it, another deliverer may retry. */
const CLAIM_MS = 120_000
export const DEFAULT_TIMEOUT_MS = 10_000

const RETRY_BASE_MS = 10_000
const RETRY_CAP_MS = 3_600_000

/** 10 s, 20 s, 40 s … capped at 1 h: ten attempts span about 1.4 hours. */
export function backoffMs(attempt: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1), RETRY_CAP_MS)
}

/**
 * When the row's current wait began: its creation for a first attempt, else the failed attempt
 * that scheduled the retry (`next_attempt_at` minus `backoffMs(attempts)`, the same formula).
 */
const waitBeganAt = sql`CASE WHEN ${outbox.attempts} = 0 THEN ${outbox.createdAt}
  ELSE ${outbox.nextAttemptAt} - min(${RETRY_BASE_MS} << min(max(${outbox.attempts} - 1, 0), 20), ${RETRY_CAP_MS}) END`

/**
 * Adds a notification inside the caller's transaction. Returns the row id, or undefined when the
 * dedupe key was already enqueued (nothing is written). Call `kickOutbox(deps)` afterwards (it is
 * safe to call inside the transaction: it never waits for it) so delivery starts right away.
 */
export async function enqueue(tx: Tx, input: EnqueueInput, now = Date.now()): Promise<string | undefined> {
  const id = newId('obx', now)
  const rows = await tx
    .insert(outbox)
    .values({
      id,
      projectId: input.projectId ?? null,
      channel: input.channel,
      target: input.target,
      webhookId: input.webhookId ?? null,
      payload: JSON.stringify(input.payload),
      secretEnc: input.secretEnc ?? null,
      dedupeKey: input.dedupeKey,
      nextAttemptAt: input.notBefore ?? now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id })
  return rows[0]?.id
}

export type OutboxRow = typeof outbox.$inferSelect

/** Claims due rows (pending and due, or claimed by someone whose claim expired). */
export async function claimDue(deps: Deps, channels: OutboxChannel[], limit: number): Promise<OutboxRow[]> {
  return deps.db.write(async (tx) => {
    const now = deps.clock.now()
    // A claim guards against a deliverer that died mid-request: that is about wall time, not the
    // (possibly simulated) clock that decides when a retry is due.
    const wall = Date.now()
    // A wait that began "in the future" means the clock was set back since: the row is due now
    // rather than after the intended wait plus however far the clock went back (an hour's jump
    // would otherwise stall a 10 s retry for an hour). The same holds for an expired-claim check.
    const due = or(
      and(eq(outbox.status, 'pending'), or(lte(outbox.nextAttemptAt, now), sql`${waitBeganAt} > ${now}`)),
      and(
        eq(outbox.status, 'sending'),
        or(lte(outbox.claimedUntil, wall), sql`${outbox.claimedUntil} - ${CLAIM_MS} > ${wall}`),
      ),
    )
    const ids = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(due, inArray(outbox.channel, channels)))
      .orderBy(asc(outbox.nextAttemptAt))
      .limit(limit)
      .all()
    if (ids.length === 0) return []
    return tx
      .update(outbox)
      .set({ status: 'sending', claimedUntil: wall + CLAIM_MS, attempts: sql`${outbox.attempts} + 1` })
      .where(
        and(
          inArray(
            outbox.id,
            ids.map((r) => r.id),
          ),
          due,
        ),
      )
      .returning()
  })
}
