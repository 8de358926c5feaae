// Prompt delivery: a kick after an enqueue delivers at once instead of at the next background run;
// the entry's transport (webhook fetch, e-mail sender) lives in Deps.outbox, never module-level.
import type { Deps } from '../shared/index.js'
import { deliverDue } from './delivery.js'
import { outboxTransport } from './transports.js'

/** A kick that never settled (Workers may cancel a request's I/O after it answered) stops blocking after this. */
const STALE_KICK_MS = 60_000

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
