// `npm run bench:ingest`: how fast POST /v1/reports takes reports on the real Node entry with an
// embedded libSQL file, against a bare Hono + libSQL endpoint that inserts one row per request
// (autocommit) as the ceiling to compare with.
//
// Each server runs in its own child process; autocannon drives it from this process over
// loopback, for BENCH_SECONDS (default 10) per connection level (1, 16, 64). After the Earshot
// runs the database file is opened again to check that every 2xx became exactly one row, and
// that the report pipeline clustered each exactly once (scripts/pipeline-check.ts).
//
// Clustering lag (202 → cluster assigned) is read from the stored rows: processed_at − created_at
// of each report, per level. After each level the driver also measures how long the pipeline
// needs to finish what waits once the load stops (it polls the file from a second connection).
//
//   npm run bench:ingest                      # full run (~70 s)
//   BENCH_SECONDS=3 npm run bench:ingest      # quick look
//   BENCH_ONLY=earshot BENCH_CONNECTIONS=64 BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" …  # profile
//
// Internal: `bench-ingest.ts --bare-server <file>` is the ceiling server (child process).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './lib/free-port.js'
import { checkPipeline } from './pipeline-check.js'

const REPO = resolve(fileURLToPath(import.meta.url), '../..')
const SECONDS = Number(process.env.BENCH_SECONDS || 10)
const WARMUP_SECONDS = 3
const LEVELS = (process.env.BENCH_CONNECTIONS || '1,16,64').split(',').map(Number)

/** The ceiling: parse JSON, insert one row with autocommit, answer 202. Same WAL file settings as Earshot. */
async function bareServer(file: string) {
  const { Hono } = await import('hono')
  const { serve } = await import('@hono/node-server')
  const { createClient } = await import('@libsql/client')
  // Not openNodeClient (its statement reuse is part of what the ceiling leaves out), but the same
  // one-writer-process lock on the file.
  const { lockDatabaseFile } = await import('../worker/db/file-lock.js')
  lockDatabaseFile(file)
  const client = createClient({ url: `file:${file}` })
  await client.execute('PRAGMA journal_mode=WAL')
  await client.execute(
    'CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, message TEXT NOT NULL, reporter_id TEXT, page_url TEXT, release TEXT, context TEXT, created_at INTEGER NOT NULL)',
  )
  const app = new Hono()
  app.post('/v1/reports', async (c) => {
    const body = await c.req.json()
    const r = await client.execute({
      sql: 'INSERT INTO reports (idempotency_key, message, reporter_id, page_url, release, context, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      args: [
        c.req.header('idempotency-key') ?? null,
        body.message,
        body.reporter_id ?? null,
        body.page_url ?? null,
        body.release ?? null,
        JSON.stringify(body.context ?? {}),
        Date.now(),
      ],
    })
    return c.json({ id: String(r.lastInsertRowid) }, 202)
  })
  serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`LISTENING ${info.port}`))
}

// ---- the driver ----

const MESSAGES = [
  'The checkout button does nothing when I click it',
  'Checkout button not working on the cart page',
  'Fonts look different since this morning',
  'Where did the pricing page go?',
  'I cannot log in, it says session expired',
  'Payment failed with error 502',
  'Images are not loading on product pages',
  'Search returns no results for anything',
  '结账按钮点击没有反应',
  '页面字体看起来不一样了',
  'La page de paiement ne se charge pas',
  'Die Suche funktioniert nicht mehr',
  'My order history is empty',
  'The app is very slow today',
  'Coupon code is rejected although it is valid',
  'Dark mode broke the dashboard colours',
]

function reportBody(i: number): string {
  const message = `${MESSAGES[i % MESSAGES.length]}${i % 7 === 0 ? ` (order ${1000 + (i % 500)})` : ''}`
  return JSON.stringify({
    message,
    reporter_id: `anon_${i % 997}`,
    page_url: `https://shop.example.com/orders/${i % 300}?tab=items`,
    release: 'web@2026.11.3',
    locale: i % 3 === 0 ? 'zh-CN' : 'en-US',
    context: {
      timezone: 'Europe/Berlin',
      viewport: '1280x800',
      errors:
        i % 4 === 0
          ? [
              {
                message: `TypeError: Cannot read properties of undefined (reading 'total')`,
                at: '2026-11-26T20:00:00Z',
              },
            ]
          : [],
      network: i % 5 === 0 ? [{ method: 'POST', url: 'https://shop.example.com/api/checkout', status: 502 }] : [],
    },
  })
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((ok, fail) => {
    let buffer = ''
    const timer = setTimeout(
      () => fail(new Error(`server did not print ${pattern} within ${timeoutMs} ms:\n${buffer}`)),
      timeoutMs,
    )
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString()
      const match = buffer.match(pattern)
      if (match) {
        clearTimeout(timer)
        child.stdout!.off('data', onData)
        ok(match)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => process.stderr.write(c))
    child.once('exit', (code) => fail(new Error(`server exited (${code}) before it was ready:\n${buffer}`)))
  })
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((ok) => {
    child.once('exit', () => ok())
    child.kill('SIGTERM')
  })
}

interface LevelResult {
  connections: number
  /** Server CPU (user + system) per 2xx answer: what the work costs, whatever else runs on the machine. */
  cpuMsPerReport: number
  rps: number
  p50: number
  p99: number
  ok: number
  non2xx: number
  errors: number
  /** Earshot only: 202 → clustered, ms (p50, p99 over the level's reports), and load end → nothing waiting. */
  lag?: { p50: number; p99: number; max: number; settleMs: number }
}

/** CPU ms the process has used so far (Linux /proc; clock ticks are 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

async function drive(
  url: string,
  headers: Record<string, string>,
  connections: number,
  runTag: string,
  pid: number,
  seconds = SECONDS,
): Promise<LevelResult> {
  const cpuBefore = cpuMsOf(pid)
  // autocannon ships no types; a non-literal specifier keeps tsc from asking for them.
  const autocannonModule = 'autocannon'
  const { default: autocannon } = (await import(autocannonModule)) as { default: (opts: object) => Promise<any> }
  let i = 0
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/reports',
        setupRequest: (req: any) => {
          const n = i++
          return {
            ...req,
            headers: {
              ...headers,
              'content-type': 'application/json',
              'idempotency-key': `bench-${runTag}-${connections}-${n}`,
            },
            body: reportBody(n),
          }
        },
      },
    ],
  })
  return {
    connections,
    cpuMsPerReport: Number(((cpuMsOf(pid) - cpuBefore) / Math.max(1, result['2xx'])).toFixed(2)),
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

async function countRows(file: string, table = 'reports'): Promise<number> {
  const { openNodeClient } = await import('../worker/db/node-client.js')
  const client = await openNodeClient(`file:${file}`)
  const row = (await client.execute(`SELECT count(*) AS n, count(DISTINCT idempotency_key) AS k FROM ${table}`))
    .rows[0]!
  client.close()
  if (Number(row.n) !== Number(row.k))
    throw new Error(`duplicate idempotency keys in ${file}: ${row.n} rows, ${row.k} keys`)
  return Number(row.n)
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

/** Polls (from a second connection) until no report waits for the pipeline; ms it took. */
async function settle(file: string): Promise<number> {
  const { createClient } = await import('@libsql/client')
  const client = createClient({ url: `file:${file}` })
  const started = Date.now()
  try {
    for (;;) {
      const n = Number(
        (await client.execute('SELECT count(*) AS n FROM reports WHERE processed_at IS NULL')).rows[0]!.n,
      )
      if (!n) return Date.now() - started
      if (Date.now() - started > 60_000)
        throw new Error(`${n} reports still wait for the pipeline 60 s after the load stopped`)
      await new Promise((r) => setTimeout(r, 10))
    }
  } finally {
    client.close()
  }
}

/** 202 → clustered for one level's reports (their idempotency keys carry the level). */
async function lagOf(file: string, tag: string, connections: number, settleMs: number): Promise<LevelResult['lag']> {
  const { createClient } = await import('@libsql/client')
  const client = createClient({ url: `file:${file}` })
  const rows = (
    await client.execute({
      sql: 'SELECT processed_at - created_at AS lag FROM reports WHERE idempotency_key LIKE ?',
      args: [`bench-${tag}-${connections}-%`],
    })
  ).rows
  client.close()
  const lags = rows.map((r) => Number(r.lag)).sort((a, b) => a - b)
  return { p50: quantile(lags, 0.5), p99: quantile(lags, 0.99), max: lags.at(-1) ?? 0, settleMs }
}

async function benchEarshot(dir: string): Promise<LevelResult[]> {
  const file = join(dir, 'earshot.db')
  const port = await freePort()
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [] // e.g. --cpu-prof
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'worker/entries/node.ts'], {
    cwd: REPO,
    env: {
      ...process.env,
      PORT: String(port),
      LIBSQL_URL: `file:${file}`,
      EARSHOT_ENV: 'production',
      PUBLIC_URL: 'https://earshot.example.com', // production refuses to start without it
      EARSHOT_ADMIN_PASSWORD: 'bench-password-not-secret',
      // One client address sends everything here: lift the per-address limit so the run measures
      // the write path (the limiter itself still runs on every request).
      EARSHOT_RATE_LIMIT_REPORTS_PER_MINUTE: '100000000',
      EARSHOT_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000',
      EARSHOT_RATE_LIMIT_REPEATS_PER_10_MIN: '100000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    const [, key] = await waitForLine(child, /Public key \(demo\)\s+(\S+)/)
    const results: LevelResult[] = []
    // Both servers get the same unmeasured warm-up (JIT, page cache, first statements compiled).
    const warmup = await drive(
      `http://127.0.0.1:${port}`,
      { 'x-earshot-key': key! },
      16,
      'ew',
      child.pid!,
      WARMUP_SECONDS,
    )
    await settle(file)
    for (const c of LEVELS) {
      const r = await drive(`http://127.0.0.1:${port}`, { 'x-earshot-key': key! }, c, 'e', child.pid!)
      r.lag = await lagOf(file, 'e', c, await settle(file))
      results.push(r)
    }
    await stop(child)
    const stored = await countRows(file)
    const { createClient } = await import('@libsql/client')
    const client = createClient({ url: `file:${file}` })
    const pipeline = await checkPipeline(client)
    client.close()
    console.log(
      `earshot pipeline: ${pipeline.clustered} of ${pipeline.reports} reports clustered; ${pipeline.problems.length ? `PROBLEMS: ${pipeline.problems.join('; ')}` : 'each exactly once, counters equal a recount'}`,
    )
    const acknowledged = results.reduce((s, r) => s + r.ok, warmup.ok)
    // Requests still in flight when a level's time is up are stored but never counted by
    // autocannon, so stored may exceed acknowledged by at most one per open connection.
    const inFlight = LEVELS.reduce((s, c) => s + c, warmup.connections)
    console.log(
      `earshot: ${acknowledged} reports acknowledged with 2xx, ${stored} rows stored (one per idempotency key)`,
    )
    if (stored < acknowledged || stored > acknowledged + inFlight)
      throw new Error(`acknowledged ${acknowledged} but stored ${stored}`)
    return results
  } finally {
    await stop(child)
  }
}

async function benchBare(dir: string): Promise<LevelResult[]> {
  const file = join(dir, 'bare.db')
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--bare-server', file], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    const [, port] = await waitForLine(child, /LISTENING (\d+)/)
    const results: LevelResult[] = []
    const warmup = await drive(`http://127.0.0.1:${port}`, {}, 16, 'bw', child.pid!, WARMUP_SECONDS)
    for (const c of LEVELS) results.push(await drive(`http://127.0.0.1:${port}`, {}, c, 'b', child.pid!))
    await stop(child)
    const stored = await countRows(file)
    console.log(`bare: ${results.reduce((s, r) => s + r.ok, warmup.ok)} acknowledged, ${stored} rows stored`)
    return results
  } finally {
    await stop(child)
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-ingest-'))
  try {
    console.log(
      `load average before: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    )
    console.log(
      `ingest benchmark: ${SECONDS} s per level, connections ${LEVELS.join(', ')}; ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
    )
    const earshot = await benchEarshot(dir)
    const lagLine = (e: LevelResult) =>
      `clustering lag p50 ${e.lag!.p50} ms, p99 ${e.lag!.p99} ms, max ${e.lag!.max} ms; all clustered ${e.lag!.settleMs} ms after the load stopped`
    if (process.env.BENCH_ONLY === 'earshot') {
      for (const e of earshot)
        console.log(
          `earshot at ${e.connections} connections: ${e.rps} req/s, p50 ${e.p50} ms, p99 ${e.p99} ms, ${e.cpuMsPerReport} ms CPU per report; ${lagLine(e)}`,
        )
      return
    }
    const bare = await benchBare(dir)
    const rows = [
      '| connections | Earshot req/s | p50 ms | p99 ms | server CPU ms/report | bare req/s | p50 ms | p99 ms | server CPU ms/report | Earshot ÷ bare (req/s) |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ]
    for (let i = 0; i < LEVELS.length; i++) {
      const e = earshot[i]!
      const b = bare[i]!
      rows.push(
        `| ${e.connections} | ${e.rps} | ${e.p50} | ${e.p99} | ${e.cpuMsPerReport} | ${b.rps} | ${b.p50} | ${b.p99} | ${b.cpuMsPerReport} | ${(e.rps / b.rps).toFixed(2)}× |`,
      )
    }
    console.log(rows.join('\n'))
    console.log(
      [
        '',
        '| connections | lag p50 ms | lag p99 ms | lag max ms | all clustered after load stops, ms |',
        '|---:|---:|---:|---:|---:|',
        ...earshot.map(
          (e) => `| ${e.connections} | ${e.lag!.p50} | ${e.lag!.p99} | ${e.lag!.max} | ${e.lag!.settleMs} |`,
        ),
      ].join('\n'),
    )
    const failures = [...earshot, ...bare].filter((r) => r.non2xx || r.errors)
    for (const f of failures)
      console.log(
        `  note: ${f.connections} connections had ${f.non2xx} non-2xx answers and ${f.errors} errors/timeouts`,
      )
    const last = earshot.at(-1)!
    const lastBare = bare.at(-1)!
    const heavy = LEVELS.map((c, i) => ({ c, e: earshot[i]!, b: bare[i]! })).filter((l) => l.c >= 16)
    const p99Bound = Math.max(50, 2 * lastBare.p99)
    const targets = [
      `Earshot ≥ 0.9 × bare req/s at 16 and 64 connections: ${heavy.every((l) => l.e.rps >= 0.9 * l.b.rps) ? 'met' : 'NOT met'} (${heavy.map((l) => `${(l.e.rps / l.b.rps).toFixed(2)}× at ${l.c}`).join(', ')})`,
      `p99 ≤ max(50 ms, 2 × bare p99) = ${p99Bound} ms at ${last.connections} connections: ${last.p99 <= p99Bound ? 'met' : 'NOT met'} (${last.p99} ms; bare ${lastBare.p99} ms)`,
      `clustering lag p99 ≤ 1 s at every level: ${earshot.every((e) => e.lag!.p99 <= 1000) ? 'met' : 'NOT met'} (${earshot.map((e) => `${e.lag!.p99} ms`).join(', ')})`,
      `every report clustered ≤ 2 s after the load stops: ${earshot.every((e) => e.lag!.settleMs <= 2000) ? 'met' : 'NOT met'} (${earshot.map((e) => `${e.lag!.settleMs} ms`).join(', ')})`,
    ]
    console.log(targets.map((t) => `target: ${t}`).join('\n'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--bare-server') await bareServer(process.argv[3]!)
else await main()
