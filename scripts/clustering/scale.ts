// The report pipeline on a large stored state (`npm run bench:cluster -- --scale`): seeds N reports
// in N/10 clusters (scale-data.ts), then sends new reports through the normal intake
// (submitReport) and times the server's own pipeline object (deps.pipeline, the batch code of
// worker/domain/pipeline) clustering them, one table row per batch size and run:
//   - batch 1: one report arrives, one batch runs — the assignment latency of each report
//     (compute = reads + assignment + surge check, before the write transaction; then write + commit);
//   - batch > 1: a backlog is drained in batches of that size — throughput, in reports per second
//     of wall time and per second of this process's CPU time (reports/s per core).
// CPU = process.cpuUsage() (libSQL's embedded calls run synchronously on this thread; GC helper
// threads count too). The load average is sampled at the start and end of every row.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PipelineOptions } from '../../worker/domain/pipeline/index.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { rng } from '../lib/rng.js'
import { type Harness, openHarness } from './replay.js'
import { message, seed, vocabulary, type Vocabulary, type Words } from './scale-data.js'

export interface ScaleOptions {
  /** store sizes (stored reports), one seeded store each */
  reports: number[]
  /** stored reports per cluster */
  perCluster: number
  /** pipeline batch sizes, measured in this order */
  batches: number[]
  words: Words
  /** share of new and seeded reports written in Chinese (real words only) */
  zh: number
  /** reports measured per row at batch 1; a batch-B row drains max(this, 20 × B) */
  measure: number
  /** how many times the whole list of batch sizes is measured on the same store */
  repeat: number
  /** write a .cpuprofile of the measured phase (not seeding) into this folder */
  cpuProf?: string
  /** keep a copy of the seeded-and-measured database in this folder */
  keepDb?: string
}

export const DEFAULT_SCALE: ScaleOptions = {
  reports: [100_000],
  perCluster: 10,
  batches: [1, 64, 256],
  words: 'real',
  zh: 0.1,
  measure: 2000,
  repeat: 1,
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0
const ms = (x: number) => x.toFixed(2)
const int = (x: number) => Math.round(x).toLocaleString('en')
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000
const load = () => loadavg()[0]!.toFixed(1)

interface Row {
  batch: number
  run: number
  reports: number
  /** per report: compute wall and CPU ms (at batch > 1: the batch's, divided by its reports) */
  computeWall: number[]
  computeCpu: number[]
  /** per report: the whole batch, compute + write + commit, wall ms */
  totalWall: number[]
  wall: number
  cpu: number
  loadStart: string
  loadEnd: string
}

export async function runScale(o: ScaleOptions): Promise<void> {
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {}
  console.log(
    `${new Date().toISOString()} · commit ${commit} · ${cpus().length} CPUs · node ${process.version} · ` +
      `words ${o.words}${o.words === 'real' ? ` (${Math.round(o.zh * 100)} % Chinese)` : ''} · load ${load()}` +
      (o.cpuProf ? ' · UNDER THE PROFILER' : ''),
  )
  for (const total of o.reports) await one(total, o)
}

async function one(total: number, o: ScaleOptions): Promise<void> {
  const clusters = Math.round(total / o.perCluster)
  const v = vocabulary(o.words, o.zh)
  const dir = mkdtempSync(join(tmpdir(), 'earshot-scale-'))
  const dbPath = join(dir, 'scale.db')
  const h = await openHarness(dbPath)
  const started = performance.now()
  const t0 = h.clock.now() - 30 * 86400_000
  // Seeding runs in its own function so its large working sets (df, 10k–100k centroid Maps) are
  // garbage before the measurement: a server holds none of them, and a bigger heap slows GC.
  await seed(h.db.client, h.project.id, v, total, clusters, t0)
  const seedSeconds = (performance.now() - started) / 1000
  console.log(
    `\nstore: ${int(total)} reports in ${int(clusters)} clusters, seeded in ${seedSeconds.toFixed(0)} s, ` +
      `${(statSync(dbPath).size / 1e6).toFixed(0)} MB (${dbPath}, on disk: commits fsync as on a server)\n`,
  )
  const submit = submitter(h, v, clusters)
  // Warm-up (not measured): the JIT, the page cache and the engine's memory of the hot clusters.
  for (let i = 0; i < 200; i++) await submit()
  await h.deps.pipeline.drain()

  const profiler = o.cpuProf ? await cpuProfiler(o.cpuProf, total) : undefined
  printHeader()
  const rows: Row[] = []
  for (let run = 1; run <= o.repeat; run++) {
    for (const batch of o.batches) {
      const row = await measure(h, submit, batch, run, o.measure, profiler)
      rows.push(row)
      printRow(total, clusters, row)
    }
  }
  if (profiler) console.log(`\nCPU profiles: ${profiler.files.join(', ')}`)
  profiler?.session.disconnect()
  printSpread(rows)
  h.close()
  if (o.keepDb) cpSync(dbPath, join(o.keepDb, `scale-${total}.db`))
  rmSync(dir, { recursive: true, force: true })
}

interface Profiler {
  session: Session
  files: string[]
  start(): Promise<void>
  stop(name: string): Promise<void>
}

/** The inspector's sampling profiler, around what a row measures (batch 1: with the intake between batches). */
async function cpuProfiler(dir: string, total: number): Promise<Profiler> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  const files: string[] = []
  return {
    session,
    files,
    start: () => session.post('Profiler.start'),
    async stop(name) {
      const { profile } = await session.post('Profiler.stop')
      const file = join(dir, `scale-${total}-${name}.cpuprofile`)
      writeFileSync(file, JSON.stringify(profile))
      files.push(file)
    },
  }
}

/** New reports through the normal intake, one simulated second apart; 10 % are about brand-new problems. */
function submitter(h: Harness, v: Vocabulary, clusters: number): () => Promise<void> {
  const r = rng(7)
  let seq = 0
  return async () => {
    h.clock.advance(1000)
    const i = seq++
    const topic = i % 10 === 0 ? clusters + i : Math.floor(r() * clusters)
    await submitReport(
      h.deps,
      h.project,
      { message: message(v, topic, r), reporter_id: `u${i}` },
      { idempotencyKey: `scale-${i}` },
    )
  }
}

async function measure(
  h: Harness,
  submit: () => Promise<void>,
  batch: number,
  run: number,
  measureN: number,
  profiler?: Profiler,
): Promise<Row> {
  const options = h.deps.pipeline.options as PipelineOptions
  options.batchSize = batch
  const n = batch === 1 ? measureN : Math.max(measureN, 20 * batch)
  const row: Row = {
    batch,
    run,
    reports: 0,
    computeWall: [],
    computeCpu: [],
    totalWall: [],
    wall: 0,
    cpu: 0,
    loadStart: load(),
    loadEnd: '',
  }
  // The batch code reports the end of its compute phase (before the write transaction) here.
  let computedAt = 0
  let computedCpu = 0
  options.onStep = async (step) => {
    if (step !== 'computed') return
    computedAt = performance.now()
    computedCpu = cpuMs(process.cpuUsage())
  }
  // One batch as the pipeline runs it; its reports share its figures.
  const timed = async () => {
    const t = performance.now()
    const c = process.cpuUsage()
    const out = await h.deps.pipeline.runBatch()
    const wall = performance.now() - t
    const cpu = cpuMs(process.cpuUsage(c))
    const k = out.processed.length
    if (!k) return 0
    row.wall += wall
    row.cpu += cpu
    row.reports += k
    for (let i = 0; i < k; i++) {
      row.computeWall.push((computedAt - t) / k)
      row.computeCpu.push((computedCpu - cpuMs(c)) / k)
      row.totalWall.push(wall / k)
    }
    return k
  }
  if (batch === 1) {
    // One report at a time, as it arrives: the latency of clustering each one.
    await profiler?.start()
    for (let i = 0; i < n; i++) {
      await submit()
      await timed()
    }
  } else {
    // A backlog of n reports, drained in batches: throughput.
    for (let i = 0; i < n; i++) await submit()
    await profiler?.start()
    while ((await timed()) > 0) {
      // next batch
    }
  }
  await profiler?.stop(`batch${batch}-run${run}`)
  options.onStep = undefined
  row.loadEnd = load()
  return row
}

function printHeader(): void {
  console.log(
    '| stored reports | clusters | batch | run | reports | compute wall p50 / p99 | compute CPU p50 / p99 | ' +
      'batch wall incl. write + commit p50 / p99 | reports/s (wall) | **reports/s per core** | ' +
      'CPU ms per report (compute share) | load avg start → end |',
  )
  console.log('|---|---|---:|---:|---:|---|---|---|---:|---:|---|---|')
}

function printRow(total: number, clusters: number, r: Row): void {
  const perReport = r.cpu / r.reports
  const computeShare = r.computeCpu.reduce((a, b) => a + b, 0) / r.cpu
  console.log(
    `| ${int(total)} | ${int(clusters)} | ${r.batch} | ${r.run} | ${int(r.reports)} | ` +
      `${ms(pct(r.computeWall, 50))} / ${ms(pct(r.computeWall, 99))} ms | ` +
      `${ms(pct(r.computeCpu, 50))} / ${ms(pct(r.computeCpu, 99))} ms | ` +
      `${ms(pct(r.totalWall, 50))} / ${ms(pct(r.totalWall, 99))} ms | ` +
      `${int((r.reports / r.wall) * 1000)} | ${int((r.reports / r.cpu) * 1000)} | ` +
      `${ms(perReport)} (${Math.round(computeShare * 100)} %) | ${r.loadStart} → ${r.loadEnd} |`,
  )
}

/** With several runs: each run's value of the two figures the targets are about. */
function printSpread(rows: Row[]): void {
  if (rows.length <= new Set(rows.map((r) => r.batch)).size) return
  console.log('')
  const list = (xs: number[], f: (x: number) => string) => xs.map(f).join(', ')
  for (const batch of new Set(rows.map((r) => r.batch))) {
    const of = rows.filter((r) => r.batch === batch)
    if (batch === 1) {
      const wall = list(
        of.map((r) => pct(r.computeWall, 99)),
        ms,
      )
      const cpu = list(
        of.map((r) => pct(r.computeCpu, 99)),
        ms,
      )
      console.log(`batch 1, ${of.length} runs: compute p99 wall ${wall} ms; CPU ${cpu} ms`)
    }
    const perCore = list(
      of.map((r) => (r.reports / r.cpu) * 1000),
      int,
    )
    console.log(`batch ${batch}, ${of.length} runs: reports/s per core ${perCore}`)
  }
}
