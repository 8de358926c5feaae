import { lt } from 'drizzle-orm'
import { sessions } from './db/schema/index.js'
import type { Deps } from './domain/deps.js'
import { deliverDue, outboxTransport } from './domain/notifications/outbox.js'
import { pruneSurgeCounters } from './domain/surge/query.js'
import { applyRetention } from './domain/privacy.js'
import { sweepOrphanAttachments } from './domain/attachments/sweep.js'
import { refineClusters } from './domain/clustering/index.js'
import { pruneRateLimits } from './http/rate-limit.js'

/**
 * Periodic work: an interval on Node, a cron trigger on Workers. Each job is independent; one
 * failing does not stop the others, and the failure is reported to the caller's logger.
 */
export const BACKGROUND_JOBS: { name: string; everyMs?: number; run(deps: Deps): Promise<unknown> }[] = [
  // Merges clusters that drifted together and keeps titles current; never undoes a responder's correction.
  { name: 'refine-clusters', run: (deps) => refineClusters(deps.db, deps.clock) },
  { name: 'deliver-outbox', run: (deps) => deliverDue(deps, outboxTransport(deps)) },
  { name: 'prune-surge-counters', run: (deps) => pruneSurgeCounters(deps) },
  { name: 'retention', run: (deps) => applyRetention(deps) },
  // Lists the whole attachment store: hourly is enough for bytes that are only swept after an hour.
  { name: 'sweep-attachments', everyMs: 3600_000, run: (deps) => sweepOrphanAttachments(deps) },
  { name: 'prune-rate-limits', run: (deps) => pruneRateLimits(deps.db, deps.clock) },
  { name: 'expire-sessions', run: (deps) => deps.db.write((tx) => tx.delete(sessions).where(lt(sessions.expiresAt, deps.clock.now()))) },
]

/** When each throttled job last ran, per app (in memory: a restart or a new isolate runs it again). */
const lastRuns = new WeakMap<Deps, Map<string, number>>()

export async function runBackgroundJobs(deps: Deps, log: (msg: string) => void = console.error): Promise<void> {
  const last = lastRuns.get(deps) ?? new Map<string, number>()
  lastRuns.set(deps, last)
  for (const job of BACKGROUND_JOBS) {
    if (job.everyMs) {
      const now = deps.clock.now()
      const previous = last.get(job.name)
      // A clock set back counts as due, like the outbox's retries.
      if (previous !== undefined && now >= previous && now - previous < job.everyMs) continue
      last.set(job.name, now)
    }
    try {
      await job.run(deps)
    } catch (error) {
      log(`background job ${job.name} failed: ${(error as Error)?.message ?? error}`)
    }
  }
}
