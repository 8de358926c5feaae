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
  /**
   * Errors after which the transaction cannot go on: no later job of the batch runs, the batch
   * fails as a whole (the others are job failures, kept inside that job's savepoint).
   */
  abortsBatch?(error: unknown): boolean
  /** Upper bound of jobs per transaction, so one commit never grows without end. */
  maxBatch?: number
  /**
   * Once a transaction has run this long, it commits what it has and leaves the rest of the batch
   * to the next one: over a libSQL server every statement is a round trip, and a transaction that
   * holds the write lock for seconds makes other processes wait (sqld takes the lock away after 5 s).
   */
  maxBatchMs?: number
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
const yieldToIo = () =>
  new Promise<void>((resolve) => (nodeSetImmediate ? nodeSetImmediate(resolve) : setTimeout(resolve, 0)))

export class WriteQueue<Tx> {
  private pending: Pending<Tx>[] = []
  private running = false
  private readonly maxBatch: number
  private readonly maxBatchMs: number
  private readonly maxGatherTurns: number

  constructor(private readonly options: WriteQueueOptions<Tx>) {
    this.maxBatch = options.maxBatch ?? 256
    this.maxBatchMs = options.maxBatchMs ?? 1000
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
    for (
      let turn = 0, seen = -1;
      turn < this.maxGatherTurns && this.pending.length !== seen && this.pending.length < this.maxBatch;
      turn++
    ) {
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
        let ran = 0 // jobs that started inside this transaction
        let failure: { error: unknown } | undefined
        try {
          await this.options.transaction(async (tx) => {
            const since = Date.now()
            for (const item of batch) {
              if (ran > 0 && Date.now() - since >= this.maxBatchMs) break
              ran++
              try {
                outcomes.push({ ok: true, value: await this.options.savepoint(tx, item.job) })
              } catch (error) {
                if (this.options.abortsBatch?.(error)) throw error
                outcomes.push({ ok: false, value: error })
              }
            }
          })
        } catch (error) {
          failure = { error }
        }
        // A failed transaction fails its whole batch: nothing of it is durable, and callers retry.
        // After a commit, jobs the time budget left out go first into the next transaction.
        const settled = failure ? batch.length : ran
        this.pending.unshift(...batch.slice(settled))
        batch.slice(0, settled).forEach((item, i) => {
          if (failure) return item.reject(failure.error)
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
