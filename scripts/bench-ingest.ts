// `npm run bench:ingest`: how fast POST /v1/reports takes reports on the real Node entry, against a
// bare Hono + libSQL endpoint that inserts one row per request (autocommit) on the same kind of
// database, as the ceiling to compare with (scripts/ingest/: servers, load, store checks, tables).
//
// Each server runs in its own child process; autocannon drives it from this process over
// loopback, for BENCH_SECONDS (default 10) per connection level (1, 16, 64). After the Earshot
// runs the database is read again to check that every 2xx became exactly one row, and that the
// report pipeline clustered each exactly once (scripts/pipeline-check.ts).
//
// Clustering lag (202 → cluster assigned) is read from the stored rows: processed_at − created_at
// of each report, per level. After each level the driver also measures how long the pipeline
// needs to finish what waits once the load stops (it polls the database from a second connection).
//
// Modes (environment):
//   BENCH_DB=sqld          both servers on a real libSQL server (sqld over HTTP, one fresh sqld each)
//   BENCH_PROCESSES=2      (with sqld) two Node processes share it, autocannon spreads connections
//                          over both; the ceiling is as many bare processes on their own sqld
//   BENCH_INTAKE_ONLY=1    the pipeline paused during the load (scripts/ingest/intake-only-server.ts)
//                          and run after each level: intake alone, then drain time and CPU
//   BENCH_ONLY=earshot     no ceiling run
//
//   npm run bench:ingest                      # full run (~70 s)
//   BENCH_SECONDS=3 npm run bench:ingest      # quick look
//   BENCH_DB=sqld BENCH_PROCESSES=2 npm run bench:ingest
//   BENCH_ONLY=earshot BENCH_CONNECTIONS=64 BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" …  # profile
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { drive, type LevelResult } from './ingest/load.js'
import { comparisonTable, drainTable, earshotOnly, failures, lagTable, targets } from './ingest/report.js'
import {
  drain,
  type Server,
  sqldPid,
  startBare,
  startEarshot,
  startSqld,
  stop,
  type Sqld,
  type Store,
} from './ingest/servers.js'
import { countRows, lagOf, pipelineCheck, settle, waiting } from './ingest/store.js'

const SECONDS = Number(process.env.BENCH_SECONDS || 10)
const WARMUP_SECONDS = 3
const LEVELS = (process.env.BENCH_CONNECTIONS || '1,16,64').split(',').map(Number)
const ON_SQLD = process.env.BENCH_DB === 'sqld'
const PROCESSES = Number(process.env.BENCH_PROCESSES || 1)
const INTAKE_ONLY = process.env.BENCH_INTAKE_ONLY === '1'
if (PROCESSES > 1 && !ON_SQLD) throw new Error('BENCH_PROCESSES > 1 needs BENCH_DB=sqld (one writer per file)')

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

/** A fresh database for one side of the comparison: a file in `dir`, or its own sqld. */
async function freshStore(dir: string, name: string): Promise<{ store: Store; sqld?: Sqld; sqldPid?: number }> {
  if (!ON_SQLD) return { store: { url: `file:${join(dir, `${name}.db`)}` } }
  const sqld = await startSqld()
  return { store: { url: sqld.url, authToken: sqld.authToken }, sqld, sqldPid: sqldPid(sqld.port) }
}

interface Side {
  name: string
  start(store: Store): Promise<Server>
  /** Earshot: wait for the pipeline after each level (lag, drain) and check it at the end. */
  pipeline: boolean
}

async function bench(dir: string, side: Side): Promise<LevelResult[]> {
  const { store, sqld, sqldPid } = await freshStore(dir, side.name)
  const servers: Server[] = []
  try {
    // One after the other: the first migrates and seeds, the others find it done.
    for (let n = 0; n < PROCESSES; n++) servers.push(await side.start(store))
    const headers: Record<string, string> = servers[0]!.key ? { 'x-earshot-key': servers[0]!.key } : {}
    const load = { urls: servers.map((s) => s.url), headers, pids: servers.map((s) => s.pid), sqldPid }
    const tag = side.name[0]!
    // Every side gets the same unmeasured warm-up (JIT, page cache, first statements compiled).
    const warmup = await drive({ ...load, connections: 16, tag: `${tag}w`, seconds: WARMUP_SECONDS })
    if (side.pipeline) await (INTAKE_ONLY ? drain(servers[0]!) : settle(store))
    const results: LevelResult[] = []
    for (const connections of LEVELS) {
      const r = await drive({ ...load, connections, tag, seconds: SECONDS })
      if (side.pipeline && INTAKE_ONLY) {
        const d = await drain(servers[0]!)
        const left = await waiting(store)
        if (left) throw new Error(`${left} reports still wait after the drain`)
        r.drain = { processed: d.processed, ms: d.ms, cpuMsPerReport: Number((d.cpuMs / d.processed).toFixed(2)) }
      } else if (side.pipeline) r.lag = await lagOf(store, tag, connections, await settle(store))
      results.push(r)
    }
    await Promise.all(servers.map((s) => stop(s.child)))
    const stored = await countRows(store)
    const acknowledged = results.reduce((s, r) => s + r.ok, warmup.ok)
    console.log(`${side.name}: ${acknowledged} reports acknowledged with 2xx, ${stored} rows stored (one per key)`)
    // Requests still in flight when a level's time is up are stored but never counted by
    // autocannon, so stored may exceed acknowledged by at most one per open connection.
    const inFlight = LEVELS.reduce((s, c) => s + c, warmup.connections)
    if (stored < acknowledged || stored > acknowledged + inFlight)
      throw new Error(`${side.name}: acknowledged ${acknowledged} but stored ${stored}`)
    if (side.pipeline) {
      const check = await pipelineCheck(store)
      const problems = check.problems.length ? `PROBLEMS: ${check.problems.join('; ')}` : ''
      console.log(
        `${side.name} pipeline: ${check.clustered} of ${check.reports} reports clustered; ` +
          (problems || 'each exactly once, counters equal a recount'),
      )
      if (problems) throw new Error(problems)
    }
    return results
  } finally {
    await Promise.all(servers.map((s) => stop(s.child)))
    await sqld?.close()
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-ingest-'))
  try {
    const mode = [
      ON_SQLD ? 'sqld over HTTP' : 'embedded file',
      `${PROCESSES} server process${PROCESSES > 1 ? 'es' : ''}`,
      INTAKE_ONLY ? 'intake only (pipeline paused during the load, drained after)' : 'pipeline running',
    ].join(', ')
    console.log(`load average before: ${loadAverage()}`)
    console.log(
      `ingest benchmark (${mode}): ${SECONDS} s per level, connections ${LEVELS.join(', ')}; ` +
        `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
        `Node ${process.versions.node}`,
    )
    const earshot = await bench(dir, {
      name: 'earshot',
      start: (store) => startEarshot(store, { intakeOnly: INTAKE_ONLY }),
      pipeline: true,
    })
    const extra = INTAKE_ONLY ? drainTable(earshot) : lagTable(earshot)
    if (process.env.BENCH_ONLY === 'earshot') {
      console.log(`${earshotOnly(earshot)}\n\n${extra}`)
      return
    }
    const bare = await bench(dir, { name: 'bare', start: startBare, pipeline: false })
    console.log(`\n${comparisonTable(earshot, bare, ON_SQLD)}\n\n${extra}\n`)
    for (const line of [...failures('earshot', earshot), ...failures('bare', bare), ...targets(earshot, bare)])
      console.log(line)
    console.log(`load average after: ${loadAverage()}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
