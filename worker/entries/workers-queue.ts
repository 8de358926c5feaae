// The Workers queue consumer (see workers.ts): the pipeline for the queued reports, then the outbox.
import type { Deps } from '../domain/shared/index.js'
import { LeaseHeld, releaseLease, waitingReports } from '../domain/pipeline/index.js'
import { deliverDue, outboxTransport } from '../domain/notifications/index.js'
import type { MessageBatch, ReportMessage } from './workers-env.js'
import { log } from './workers-instance.js'

/** Most pipeline batches (of 256 reports) one queue invocation runs; what is left is retried. */
const QUEUE_MAX_BATCHES = 8

export async function consumeReports(deps: Deps, batch: MessageBatch): Promise<void> {
  try {
    await deps.pipeline.drain({ maxBatches: QUEUE_MAX_BATCHES })
  } catch (error) {
    // Another runner holds the lease (a cron run, another isolate): come back when it lapses.
    const delaySeconds =
      error instanceof LeaseHeld ? Math.min(60, Math.max(1, Math.ceil((error.until - Date.now()) / 1000))) : 5
    if (!(error instanceof LeaseHeld))
      log(
        `queue: pipeline batch failed, retrying ${batch.messages.length} message(s) in ${delaySeconds} s: ` +
          `${(error as Error)?.message ?? error}`,
      )
    batch.retryAll({ delaySeconds })
    return
  } finally {
    // Give the lease back at once: the next invocation may land in another isolate.
    await deps.db.write((tx) => releaseLease(tx, deps.pipeline.options.holder)).catch(() => {})
  }
  // The alerts the batches queued leave now, not at the next cron tick (failures retry from the outbox).
  await deliverDue(deps, outboxTransport(deps)).catch((error) =>
    log(`queue: outbox delivery failed (the cron retries): ${(error as Error)?.message ?? error}`),
  )

  const ids = batch.messages.map((m) => messageReportId(m.body)).filter((id): id is string => id !== undefined)
  let waiting = new Set<string>()
  if (ids.length) {
    try {
      waiting = new Set(await waitingReports(deps.db.orm, ids))
    } catch {
      batch.retryAll({ delaySeconds: 5 })
      return
    }
  }
  for (const m of batch.messages) {
    const id = messageReportId(m.body)
    if (id && waiting.has(id)) m.retry({ delaySeconds: 2 })
    else m.ack() // processed, or not a report id we know (erased, malformed): nothing to do
  }
}

function messageReportId(body: unknown): string | undefined {
  const id = (body as Partial<ReportMessage> | null)?.id
  return typeof id === 'string' && id.length <= 64 ? id : undefined
}
