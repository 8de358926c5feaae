// Runs pipeline batches. Every caller goes through `runBatch` (one batch at a time per process):
// the Node server's automatic runner (woken after each intake commit, gathering up to
// `batchSize` reports or `gatherMs`), `drain()` in tests and replays, and the Workers queue
// consumer. Across processes sharing a libSQL server, the lease (lease.ts) lets one runner work
// at a time.
import { sql } from 'drizzle-orm'
import { isDatabaseOutage } from '../shared/index.js'
import type { Deps } from '../shared/index.js'
import { newSecret } from '../shared/index.js'
import { LeaseHeld, runBatch, StaleBatch, type BatchOutcome, type BatchStep } from './batch.js'
import { currentLease, releaseLease } from './lease.js'
import { oldestPendingAt, readPending } from './pending.js'

export interface PipelineOptions {
  /** Most reports per batch. 1 reproduces strictly sequential assignment. */
  batchSize: number
  /** How long the automatic runner waits for more reports before it cuts a batch. */
  gatherMs: number
  /** Run batches on its own when woken (the Node server); otherwise only when called. */
  auto: boolean
  /** This process alone writes the database (an embedded file): the lease is taken, never waited for. */
  exclusive: boolean
  /** How long a lease lasts without a batch renewing it. */
  leaseMs: number
  /** While holding the lease, how often to look for reports other processes stored. */
  pollMs: number
  /** Even when nothing woke it, the automatic runner looks for waiting reports this often. */
  safetyMs: number
  /** This runner's name in the lease. */
  holder: string
  /** Wall-clock ms for the lease. */
  wallNow: () => number
  /** Lets other work run between chunks of a batch (the Node server: one event-loop turn). */
  pause?: () => Promise<void>
  /** Tests only: awaited at each step of every batch (see BatchStep). */
  onStep?: (step: BatchStep) => Promise<void>
  /**
   * Told the id of every report the intake committed, before its 202 (Workers: sends it to the
   * Cloudflare Queue whose consumer runs the pipeline). A failure is logged, never thrown: the
   * report is stored, and the safety net (`drainStragglers`) finds it.
   */
  onStored?: (id: string) => Promise<void>
  /**
   * The background job's safety net only drains when the oldest waiting report is older than this
   * (Workers: the queue consumer normally gets there first; 0 = whenever anything waits).
   */
  stragglerMs: number
  log: (message: string) => void
}

export const DEFAULT_PIPELINE: Omit<PipelineOptions, 'holder' | 'log'> = {
  batchSize: 256,
  gatherMs: 50,
  auto: false,
  exclusive: false,
  leaseMs: 10_000,
  pollMs: 250,
  safetyMs: 5_000,
  stragglerMs: 0,
  wallNow: () => Date.now(),
}

/** One event-loop turn, so requests waiting on sockets are read while a batch computes. */
// setImmediate is Node's; Workers have only setTimeout.
const setImmediateIfAny = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate
export const yieldToIo = () =>
  new Promise<void>((resolve) => (setImmediateIfAny ? setImmediateIfAny(resolve) : setTimeout(resolve, 0)))

export type { BatchOutcome }

export class Pipeline {
  readonly options: PipelineOptions
  private chain: Promise<unknown> = Promise.resolve()
  private hint = 0
  private firstWakeAt: number | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private safety: ReturnType<typeof setInterval> | undefined
  private looping = false
  private stopped = false
  private failures = 0
  private leaseUntil = 0
  /** A report that made batches fail: tried alone, then set aside so it cannot block the rest. */
  private suspect: { id: string; failures: number } | undefined
  private readonly listeners = new Set<(outcome: BatchOutcome) => void>()

  constructor(
    private readonly deps: Deps,
    options: Partial<PipelineOptions> = {},
  ) {
    this.options = { ...DEFAULT_PIPELINE, holder: newSecret('runner'), log: (m) => console.error(m), ...options }
    if (this.options.auto) {
      this.safety = setInterval(() => this.arm(0), this.options.safetyMs)
      ;(this.safety as { unref?: () => void }).unref?.()
    }
  }

  /** Hears every committed batch (benchmarks measure lag with it). Returns an unsubscribe. */
  onBatch(listener: (outcome: BatchOutcome) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Reports were stored and committed (the intake calls this). */
  wake(count = 1): void {
    if (!this.options.auto || this.stopped) return
    this.hint += count
    this.firstWakeAt ??= this.options.wallNow()
    if (!this.looping) this.arm()
  }

  /**
   * The intake committed report `id`: wakes the automatic runner and tells `onStored` (awaited,
   * so on Workers the queue send belongs to the request; its failure is only logged).
   */
  stored(id: string): Promise<void> | undefined {
    this.wake()
    const hook = this.options.onStored
    if (!hook) return undefined
    return hook(id).catch((error) =>
      this.options.log(
        `pipeline: could not hand report ${id} on (the safety net will process it): ` +
          `${(error as Error)?.message ?? error}`,
      ),
    )
  }

  /**
   * The background jobs' safety net: drains (at most `maxBatches`) only if some report has waited
   * longer than `stragglerMs` — a lost queue message, a consumer that failed — or, with 0, whenever one waits.
   */
  async drainStragglers(opts: { maxBatches?: number } = {}): Promise<number> {
    if (this.options.stragglerMs > 0) {
      const oldest = await oldestPendingAt(this.deps.db.orm)
      if (oldest === undefined || oldest > this.deps.clock.now() - this.options.stragglerMs) return 0
    }
    return this.drain(opts)
  }

  /** One batch of up to `limit` reports, after any batch already running in this process. */
  runBatch(limit = this.options.batchSize): Promise<BatchOutcome> {
    const run = this.chain.then(() => this.attempt(limit))
    this.chain = run.catch(() => {})
    return run
  }

  /** Processes every waiting report (or `maxBatches` batches of them); resolves with how many it processed. */
  async drain(opts: { maxBatches?: number } = {}): Promise<number> {
    let total = 0
    for (let n = 0; n < (opts.maxBatches ?? Infinity); n++) {
      const out = await this.runBatch()
      total += out.processed.length
      if (!out.processed.length) break
    }
    return total
  }

  /**
   * Stops the automatic runner after the batch in progress; with `drainMs`, first works through what
   * waits, for at most that long.
   */
  async stop(opts: { drainMs?: number } = {}): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    if (this.safety) clearInterval(this.safety)
    this.timer = this.safety = undefined
    await this.chain
    const deadline = this.options.wallNow() + (opts.drainMs ?? 0)
    try {
      while (this.options.wallNow() < deadline && (await this.runBatch()).processed.length > 0) {
        // keep going
      }
      if (!this.options.exclusive) await this.deps.db.write((tx) => releaseLease(tx, this.options.holder))
    } catch (error) {
      this.options.log(`pipeline: stopping: ${(error as Error)?.message ?? error}`)
    }
  }

  private async attempt(limit: number): Promise<BatchOutcome> {
    const o = this.options
    if (!o.exclusive) {
      const lease = await currentLease(this.deps.db.orm)
      if (lease && lease.holder !== o.holder && lease.expiresAt > o.wallNow())
        throw new LeaseHeld(`the pipeline lease is held by another runner`, lease.expiresAt)
    }
    if (this.suspect && this.suspect.failures >= 2) limit = 1
    for (let tries = 0; ; tries++) {
      try {
        const out = await runBatch(this.deps, {
          limit,
          holder: o.holder,
          leaseMs: o.leaseMs,
          exclusive: o.exclusive,
          wallNow: o.wallNow,
          pause: o.pause,
          onStep: o.onStep,
        })
        if (out.processed.length) this.leaseUntil = o.wallNow() + o.leaseMs
        this.suspect = undefined
        for (const l of this.listeners) l(out)
        return out
      } catch (error) {
        if (error instanceof StaleBatch && tries < 8) {
          // Something changed the state the batch was computed from: forget it, compute again.
          for (const p of error.projectIds) this.deps.engine.memory.forget(p)
          continue
        }
        this.deps.engine.memory.forget()
        if (!(error instanceof LeaseHeld) && !isDatabaseOutage(error)) await this.suspectFirst(error)
        throw error
      }
    }
  }

  /**
   * A batch failed for a reason that is not the database: the oldest waiting report may be one
   * the engine cannot handle. After two failures it is tried alone; after four more it is set
   * aside (stored, marked processed without a cluster, and logged) so every other report still
   * gets clustered.
   */
  private async suspectFirst(error: unknown): Promise<void> {
    const [first] = await readPending(this.deps.db.orm, 1).catch(() => [])
    if (!first) return
    this.suspect =
      this.suspect?.id === first.id
        ? { id: first.id, failures: this.suspect.failures + 1 }
        : { id: first.id, failures: 1 }
    this.options.log(
      `pipeline: batch failed (${this.suspect.failures}× with report ${first.id} first): ` +
        `${(error as Error)?.stack ?? error}`,
    )
    if (this.suspect.failures < 6) return
    // Only this one report, and only while it still waits.
    await this.deps.db.write((tx) =>
      tx.run(
        sql`UPDATE reports SET processed_at = ${this.deps.clock.now()}, client_key = NULL
          WHERE id = ${first.id} AND processed_at IS NULL`,
      ),
    )
    this.options.log(`pipeline: report ${first.id} set aside unclustered after repeated failures`)
    this.suspect = undefined
  }

  private arm(delay?: number): void {
    if (!this.options.auto || this.stopped || this.timer || this.looping) return
    const wait =
      delay ??
      (this.hint >= this.options.batchSize
        ? 0
        : Math.max(0, (this.firstWakeAt ?? this.options.wallNow()) + this.options.gatherMs - this.options.wallNow()))
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.loop()
    }, wait)
    ;(this.timer as { unref?: () => void }).unref?.()
  }

  private async loop(): Promise<void> {
    if (this.looping || this.stopped) return
    this.looping = true
    let retryIn: number | undefined
    try {
      for (;;) {
        this.hint = 0
        this.firstWakeAt = undefined
        const out = await this.runBatch()
        this.failures = 0
        // A full batch: more are probably waiting. Otherwise what arrived meanwhile re-arms below.
        if (out.processed.length < this.options.batchSize || this.stopped) break
      }
    } catch (error) {
      if (error instanceof LeaseHeld) retryIn = Math.max(0, error.until - this.options.wallNow()) + 20
      else {
        this.failures++
        retryIn = Math.min(30_000, 250 * 2 ** this.failures)
        if (isDatabaseOutage(error))
          this.options.log(
            `pipeline: database unavailable, retrying in ${retryIn} ms: ${(error as Error)?.message ?? error}`,
          )
      }
    } finally {
      this.looping = false
    }
    if (this.stopped) return
    if (retryIn !== undefined) this.arm(retryIn)
    else if (this.hint > 0) this.arm()
    else if (!this.options.exclusive && this.options.wallNow() < this.leaseUntil) this.arm(this.options.pollMs)
  }
}
