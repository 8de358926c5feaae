import type { Deps } from './domain/shared/index.js'
import { deliverDue, outboxTransport } from './domain/notifications/index.js'
import { pruneSurgeCounters } from './domain/surge/index.js'
import { applyRetention } from './domain/privacy/index.js'
import { expireSessions } from './domain/access/index.js'
import { sweepOrphanAttachments } from './domain/reports/index.js'
import { pruneRateLimits } from './domain/access/index.js'
import { recheckVerifiedDomains } from './domain/incidents/index.js'
import { dohTxtLookup } from './domain/incidents/index.js'

/** Most pipeline batches one background run works through (a Workers cron run has a time limit). */
const PIPELINE_BATCHES_PER_RUN = 20

/**
 * Periodic work: an interval on Node, a cron trigger on Workers. Each job is independent; one
 * failing does not stop the others, and the failure is reported to the caller's logger.
 */
export const BACKGROUND_JOBS: { name: string; everyMs?: number; run(deps: Deps): Promise<unknown> }[] = [
  // The safety net for the report pipeline: anything stored and not yet clustered (on Node the
  // pipeline runs on its own after every intake; on Workers the queue consumer does, and this
  // only drains reports that waited over a minute: a lost message, a consumer that failed).
  { name: 'process-reports', run: (deps) => deps.pipeline.drainStragglers({ maxBatches: PIPELINE_BATCHES_PER_RUN }) },
  // Merges clusters that drifted together and keeps titles current; never undoes a responder's correction.
  { name: 'refine-clusters', run: (deps) => deps.engine.refine() },
  { name: 'deliver-outbox', run: (deps) => deliverDue(deps, outboxTransport(deps)) },
  { name: 'prune-surge-counters', run: (deps) => pruneSurgeCounters(deps) },
  { name: 'retention', run: (deps) => applyRetention(deps) },
  // Lists the whole attachment store: hourly is enough for bytes that are only swept after an hour.
  { name: 'sweep-attachments', everyMs: 3600_000, run: (deps) => sweepOrphanAttachments(deps) },
  // Each verified custom domain is looked up again once a day (the job only finds those due).
  {
    name: 'recheck-custom-domains',
    everyMs: 3600_000,
    run: (deps) => recheckVerifiedDomains(deps, deps.lookupTxt ?? dohTxtLookup(deps.config.dohUrl)),
  },
  { name: 'prune-rate-limits', run: (deps) => pruneRateLimits(deps.db, deps.clock) },
  { name: 'expire-sessions', run: (deps) => expireSessions(deps) },
]

export async function runBackgroundJobs(deps: Deps, log: (msg: string) => void = console.error): Promise<void> {
  // When each throttled job last ran, per entry (in memory: a restart or a new isolate runs it again).
  const last = deps.jobRuns
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
