// The delivery loop: claim due rows, send each once, record the attempt, and mark it sent,
// schedule its retry with backoff, or give up.
import { and, eq } from 'drizzle-orm'
import { deliveries, outbox, type OutboxChannel } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { newId } from '../shared/index.js'
import { backoffMs, claimDue, MAX_ATTEMPTS, type DeliverOptions, type DeliverResult } from './store.js'
import { sendOne } from './transports.js'

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
