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
import { deliveries, outbox, webhooks, type OutboxChannel } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { newId } from '../shared/index.js'
import { parseJson } from '../shared/index.js'
import { decryptSecret, signatureHeader } from './crypto.js'
import { headerMap, headerText } from './email-header.js'
import { checkTargetUrl, UnsafeTargetError } from './ssrf.js'

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
const DEFAULT_TIMEOUT_MS = 10_000

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
const waitBeganAt = sql`CASE WHEN ${outbox.attempts} = 0 THEN ${outbox.createdAt} ELSE ${outbox.nextAttemptAt} - min(${RETRY_BASE_MS} << min(max(${outbox.attempts} - 1, 0), 20), ${RETRY_CAP_MS}) END`

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

type OutboxRow = typeof outbox.$inferSelect

/** Claims due rows (pending and due, or claimed by someone whose claim expired). */
async function claimDue(deps: Deps, channels: OutboxChannel[], limit: number): Promise<OutboxRow[]> {
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

interface Outcome {
  ok: boolean
  statusCode: number | null
  error: string | null
  /** No point retrying (refused target, deleted webhook, 410 Gone). */
  permanent: boolean
}

class PermanentError extends Error {}

async function sendWebhook(deps: Deps, row: OutboxRow, opts: DeliverOptions): Promise<Outcome> {
  let url = row.target
  let sealed = row.secretEnc
  if (row.webhookId) {
    const hook = await deps.db.orm.select().from(webhooks).where(eq(webhooks.id, row.webhookId)).get()
    if (!hook) throw new PermanentError('webhook was deleted')
    url = hook.url
    sealed = hook.secretEnc
  }
  // The URL again at delivery (the rules may have tightened since it was stored); host names are
  // resolved and checked by the fetch itself, on the connection it makes (see DeliverOptions.fetch).
  const target = checkTargetUrl(url, deps.config)
  const body = row.payload
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Earshot-Webhooks/1',
    'x-earshot-delivery': row.id,
  }
  const event = parseJson<{ event?: unknown }>(body, {}).event
  if (typeof event === 'string') headers['x-earshot-event'] = event
  if (sealed) {
    const secret = await decryptSecret(deps.config, sealed)
    headers['x-earshot-signature'] = await signatureHeader(secret, body, Math.floor(deps.clock.now() / 1000))
  }
  const doFetch = opts.fetch ?? outboxTransport(deps).fetch ?? fetch
  // No redirects: a redirect to a private address would slip past the guard.
  const res = await doFetch(target, {
    method: 'POST',
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  })
  await res.body?.cancel().catch(() => {})
  const ok = res.status >= 200 && res.status < 300
  return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}`, permanent: res.status === 410 }
}

async function sendOne(deps: Deps, row: OutboxRow, opts: DeliverOptions): Promise<Outcome> {
  try {
    if (row.channel === 'email') {
      if (!opts.sendEmail) throw new Error('no e-mail transport configured')
      const message = parseJson<Omit<EmailMessage, 'to'>>(row.payload, { subject: '', text: '' })
      // Headers are single lines whatever was queued (a title with CR/LF must not add headers).
      await opts.sendEmail({
        ...message,
        subject: headerText(String(message.subject ?? '')),
        headers: headerMap(message.headers),
        to: headerText(row.target),
      })
      return { ok: true, statusCode: null, error: null, permanent: false }
    }
    return await sendWebhook(deps, row, opts)
  } catch (error) {
    const permanent = error instanceof PermanentError || error instanceof UnsafeTargetError
    const message = (error as Error)?.name === 'TimeoutError' ? 'timed out' : String((error as Error)?.message ?? error)
    return { ok: false, statusCode: null, error: message.slice(0, 500), permanent }
  }
}

/** Sends every due row once: records the attempt, then marks it sent, schedules a retry, or gives up. */
export async function deliverDue(deps: Deps, opts: DeliverOptions = {}): Promise<DeliverResult> {
  const channels: OutboxChannel[] = opts.sendEmail ? ['webhook', 'email'] : ['webhook']
  const claimed = await claimDue(deps, channels, opts.limit ?? 50)
  const result: DeliverResult = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0 }
  await Promise.all(
    claimed.map(async (row) => {
      const started = Date.now()
      const outcome = await sendOne(deps, row, opts)
      const duration = Date.now() - started
      await deps.db.write(async (tx) => {
        const now = deps.clock.now()
        await tx.insert(deliveries).values({
          id: newId('dlv', now),
          outboxId: row.id,
          attempt: row.attempts,
          statusCode: outcome.statusCode,
          durationMs: duration,
          error: outcome.error,
          at: now,
        })
        const mine = and(
          eq(outbox.id, row.id),
          eq(outbox.status, 'sending'),
          eq(outbox.claimedUntil, row.claimedUntil!),
        )
        if (outcome.ok) {
          await tx.update(outbox).set({ status: 'sent', sentAt: now, lastError: null, claimedUntil: null }).where(mine)
          result.sent++
        } else if (outcome.permanent || row.attempts >= MAX_ATTEMPTS) {
          await tx.update(outbox).set({ status: 'failed', lastError: outcome.error, claimedUntil: null }).where(mine)
          result.failed++
        } else {
          await tx
            .update(outbox)
            .set({
              status: 'pending',
              nextAttemptAt: now + backoffMs(row.attempts),
              lastError: outcome.error,
              claimedUntil: null,
            })
            .where(mine)
          result.retrying++
        }
      })
    }),
  )
  return result
}

// ---- Prompt delivery -------------------------------------------------------------------------

interface Transport {
  fetch?: typeof fetch
  sendEmail?: SendEmail
}
/** How this entry's outbox is delivered and whether a prompt delivery is under way: `Deps.outbox`, never module-level. */
export interface OutboxState {
  transport: Transport
  kick: { scheduled: boolean; runningSince: number; again: boolean }
}
export const newOutboxState = (): OutboxState => ({
  transport: {},
  kick: { scheduled: false, runningSince: 0, again: false },
})
/** A kick that never settled (Workers may cancel a request's I/O after it answered) stops blocking after this. */
const STALE_KICK_MS = 60_000

/** Sets how this entry's outbox is delivered by `kickOutbox` and the background job (e-mail adapter, test fetch). */
export function configureOutbox(deps: Pick<Deps, 'outbox'>, transport: Transport): void {
  deps.outbox.transport = { ...deps.outbox.transport, ...transport }
}

export function outboxTransport(deps: Pick<Deps, 'outbox'>): Transport {
  return deps.outbox.transport
}

/** Whether e-mail can leave at all: without a sender, e-mails wait in the outbox (honest answers say so). */
export function canSendEmail(deps: Pick<Deps, 'outbox'>): boolean {
  return !!outboxTransport(deps).sendEmail
}

/**
 * Starts delivery now instead of at the next background run, so an alert reaches its webhook in
 * well under a second. Safe to call from inside the enqueuing transaction: delivery begins with a
 * claim through the write queue, which runs only after that transaction has committed. Failed
 * attempts are retried by the background job (`deliver-outbox`). Where the runtime cancels work
 * that outlives its request (Workers), it does nothing and the cron trigger delivers instead.
 */
export function kickOutbox(deps: Deps): void {
  if (!deps.db.backgroundWork) return // Workers: the cron trigger delivers (see Database.backgroundWork)
  const state = deps.outbox.kick
  if (state.runningSince && Date.now() - state.runningSince < STALE_KICK_MS) {
    state.again = true
    return
  }
  if (state.scheduled) return
  state.scheduled = true
  const s = state
  setTimeout(async () => {
    s.scheduled = false
    const mine = (s.runningSince = Date.now())
    try {
      do {
        s.again = false
        await deliverDue(deps, outboxTransport(deps))
      } while (s.again)
    } catch {
      // The database went away (shutdown) or is unreachable: the background job retries later.
    } finally {
      if (s.runningSince === mine) s.runningSince = 0
    }
  }, 0)
}
