/**
 * libSQL allows one writer per database and its native calls are synchronous, so concurrent
 * interactive transactions in one process fail with SQLITE_BUSY. Every write goes through this
 * queue instead: jobs that arrive while a transaction is running wait, then run together in the
 * next transaction, each inside its own savepoint so one failing job cannot spoil the others.
 * A job's promise settles only after the transaction that contains it has committed — a caller
 * never acknowledges anything that is not durable.
 */
export interface WriteQueueOptions<Tx> {
  /** Runs `body` inside one database transaction and commits it. */
  transaction(body: (tx: Tx) => Promise<void>): Promise<void>
  /** Runs one job inside a savepoint of the open transaction. */
  savepoint<T>(tx: Tx, job: (tx: Tx) => Promise<T>): Promise<T>
  /** Upper bound of jobs per transaction, so one commit never grows without end. */
  maxBatch?: number
}

interface Pending<Tx> {
  job: (tx: Tx) => Promise<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

export class WriteQueue<Tx> {
  private pending: Pending<Tx>[] = []
  private running = false
  private readonly maxBatch: number

  constructor(private readonly options: WriteQueueOptions<Tx>) {
    this.maxBatch = options.maxBatch ?? 256
  }

  run<T>(job: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ job, resolve: resolve as (v: unknown) => void, reject })
      if (!this.running) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.running = true
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch)
        const outcomes: { ok: boolean; value: unknown }[] = []
        try {
          await this.options.transaction(async (tx) => {
            for (const item of batch) {
              try {
                outcomes.push({ ok: true, value: await this.options.savepoint(tx, item.job) })
              } catch (error) {
                outcomes.push({ ok: false, value: error })
              }
            }
          })
        } catch (error) {
          // The commit itself failed: nothing in this batch is durable.
          for (const item of batch) item.reject(error)
          continue
        }
        batch.forEach((item, i) => {
          const outcome = outcomes[i]!
          if (outcome.ok) item.resolve(outcome.value)
          else item.reject(outcome.value)
        })
      }
    } finally {
      this.running = false
    }
  }
}
