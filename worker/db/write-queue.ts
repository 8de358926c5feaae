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
  /**
   * One-request writes (`runStatements`), only where the database is a libSQL server: runs the
   * statements as ONE atomic batch (its own transaction, one request) and returns their results.
   */
  batch?(statements: Statement[]): Promise<Result[]>
}

interface Pending<Tx> {
  /** An interactive job (its own savepoint in the shared transaction)… */
  job?: (tx: Tx) => Promise<unknown>
  /** …or a one-request job: statements only, run in a batch with the other such jobs. */
  statements?: Statement[]
  resolve(value: unknown): void
  reject(error: unknown): void
}

// What a one-request job carries and gets back (libSQL InStatement / ResultSet for db/client.ts).
type Statement = unknown
type Result = unknown

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
    return this.enqueue<T>({ job })
  }

  /**
   * A write that is only statements (the intake's INSERT and its look-ups): jobs of this kind that
   * arrive together run as ONE batch — one request to a libSQL server, one commit — each
   * statement idempotent on its own. The promise settles with this job's results after the commit.
   */
  runStatements<R>(statements: Statement[]): Promise<R[]> {
    if (!this.options.batch) throw new Error('this write queue has no one-request writes')
    return this.enqueue<R[]>({ statements })
  }

  private enqueue<T>(item: Pick<Pending<Tx>, 'job' | 'statements'>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ ...item, resolve: resolve as (v: unknown) => void, reject })
      if (!this.running) void this.drain()
    })
  }

  /**
   * The one-request jobs of a cut, as one batch. A batch is atomic, so one failing statement
   * (a bad job) fails them all and stores nothing: then each job runs again alone, so it cannot
   * fail the others. Nothing is resolved before the batch that holds it has committed.
   */
  private async runOneRequest(items: Pending<Tx>[]): Promise<void> {
    const batch = this.options.batch!
    const alone = async (item: Pending<Tx>) => {
      try {
        item.resolve(await batch(item.statements!))
      } catch (error) {
        item.reject(error)
      }
    }
    if (items.length === 1) return alone(items[0]!)
    let results: Result[]
    try {
      results = await batch(items.flatMap((item) => item.statements!))
    } catch {
      for (const item of items) await alone(item)
      return
    }
    let at = 0
    for (const item of items) item.resolve(results.slice(at, (at += item.statements!.length)))
  }

  private async drain(): Promise<void> {
    this.running = true
    try {
      while (this.pending.length > 0) {
        await this.gather()
        const cut = this.pending.splice(0, this.maxBatch)
        // One-request jobs first (they were concurrent with the rest: order among them is free).
        const oneRequest = cut.filter((item) => item.statements)
        if (oneRequest.length) await this.runOneRequest(oneRequest)
        const batch = oneRequest.length ? cut.filter((item) => item.job) : cut
        if (!batch.length) continue
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
                outcomes.push({ ok: true, value: await this.options.savepoint(tx, item.job!) })
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
