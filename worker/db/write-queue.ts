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
  /** Event-loop turns to wait for more jobs before a transaction starts (0: start at once). */
  maxGatherTurns?: number
}

interface Pending<Tx> {
  job: (tx: Tx) => Promise<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

/** One turn of the event loop, so I/O that is already waiting (new requests) is handled. */
// setImmediate is Node's (workerd has none): looked up, not assumed, since this runs on both.
const nodeSetImmediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate
const yieldToIo = () => new Promise<void>((resolve) => (nodeSetImmediate ? nodeSetImmediate(resolve) : setTimeout(resolve, 0)))

export class WriteQueue<Tx> {
  private pending: Pending<Tx>[] = []
  private running = false
  private readonly maxBatch: number

  private readonly maxGatherTurns: number

  constructor(private readonly options: WriteQueueOptions<Tx>) {
    this.maxBatch = options.maxBatch ?? 256
    this.maxGatherTurns = options.maxGatherTurns ?? 8
  }

  /**
   * A transaction never yields to I/O (libSQL's calls are synchronous and resolve as microtasks),
   * so requests that arrive while one runs are not even parsed until it commits. Before cutting a
   * batch, let the event loop turn while the queue is still growing (a few turns at most, each
   * a fraction of a millisecond), so everything already on the wire shares one commit and one
   * fsync instead of committing one report at a time.
   */
  private async gather(): Promise<void> {
    for (let turn = 0, seen = -1; turn < this.maxGatherTurns && this.pending.length !== seen && this.pending.length < this.maxBatch; turn++) {
      seen = this.pending.length
      await yieldToIo()
    }
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
        await this.gather()
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
