// The crash test behind `npm run crash` and test/trust/crash.test.ts: keep reports flowing into the
// real Node entry, `kill -9` it at random moments, restart it on the same libSQL file, and check
// that every report that was answered 2xx is stored exactly once, under the id it was given.
//
// Clients behave like the widget: a request that fails (connection reset, refused while the server
// is down, 5xx) is retried later with the same idempotency key, and some acknowledged reports are
// sent again on purpose (a widget that never saw the answer) — they must not create a second row.
import { mkdtempSync, rmSync } from 'node:fs'
import { freePort } from './lib/free-port.js'
import { spawnNodeEntry, type NodeEntryProcess } from './lib/node-entry.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// A plain client, not openNodeClient: it reads the file while the server (the writer lock's
// holder) is still running, and only ever reads.
import { createClient } from '@libsql/client'
import { checkPipeline } from './pipeline-check.js'

export interface CrashOptions {
  kills: number
  /** Concurrent clients sending reports. */
  clients?: number
  /** Load before each kill is random in this range (ms after the server is ready). */
  minUpMs?: number
  maxUpMs?: number
  log?: (line: string) => void
}

export interface CrashResult {
  kills: number
  sent: number
  acknowledged: number
  /** Distinct idempotency keys that got a 2xx. */
  acknowledgedKeys: number
  retriesAfterFailure: number
  resentAfterAck: number
  stored: number
  missing: string[]
  duplicates: number
  idMismatches: string[]
  clusterCountMismatch: string | null
  /** What the report pipeline left wrong after the last restart (scripts/pipeline-check.ts); empty when all holds. */
  pipelineProblems: string[]
  /** Reports clustered (each exactly once, when pipelineProblems is empty). */
  clustered: number
  integrity: string
  restartMs: number[]
}

function startServer(port: number, file: string): NodeEntryProcess {
  return spawnNodeEntry({
    port,
    file,
    env: {
      EARSHOT_ENV: 'production',
      PUBLIC_URL: 'https://earshot.example.com', // production refuses to start without it
      EARSHOT_ADMIN_PASSWORD: 'crash-test-password',
      // Every client here is one address sending the same few texts: lift those limits.
      EARSHOT_RATE_LIMIT_REPORTS_PER_MINUTE: '100000000',
      EARSHOT_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000',
      EARSHOT_RATE_LIMIT_REPEATS_PER_10_MIN: '100000000',
    },
  })
}

const MESSAGES = [
  'Checkout button does nothing',
  'Fonts look different',
  'Where did the pricing page go?',
  '结账按钮点击没有反应',
  'Login loops back to the start',
]

export async function runCrashTest(opts: CrashOptions): Promise<CrashResult> {
  const log = opts.log ?? (() => {})
  const clients = opts.clients ?? 16
  const minUp = opts.minUpMs ?? 300
  const maxUp = opts.maxUpMs ?? 1500
  const dir = mkdtempSync(join(tmpdir(), 'earshot-crash-'))
  const file = join(dir, 'crash.db')
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`

  const acked = new Map<string, string>() // idempotency key → report id from the 2xx
  const idMismatches: string[] = []
  // A retry repeats its request byte for byte, as the widget does (a new body under a key is a 409).
  type Job = { key: string; body: string }
  const toRetry: Job[] = []
  const bodies = new Map<string, string>() // idempotency key → the body it was first sent with
  let sent = 0
  let acknowledged = 0
  let retriesAfterFailure = 0
  let resentAfterAck = 0
  let seq = 0
  let key = ''
  let stopping = false
  const restartMs: number[] = []

  async function send(idempotencyKey: string, body: string): Promise<boolean> {
    sent++
    try {
      const res = await fetch(`${base}/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-earshot-key': key, 'idempotency-key': idempotencyKey },
        body,
        signal: AbortSignal.timeout(10_000),
      })
      const text = await res.text()
      if (res.status === 202) {
        const id = JSON.parse(text).id as string
        const before = acked.get(idempotencyKey)
        if (before && before !== id) idMismatches.push(`${idempotencyKey}: ${before} then ${id}`)
        acked.set(idempotencyKey, id)
        acknowledged++
        return true
      }
      if (res.status < 500) throw new Error(`unexpected ${res.status} ${text}`)
      return false
    } catch (error) {
      if ((error as Error).message?.startsWith('unexpected')) throw error
      return false // connection refused/reset, aborted: the widget keeps it and retries
    }
  }

  async function clientLoop(n: number) {
    while (!stopping) {
      let job: Job
      let retry = false
      if (toRetry.length && Math.random() < 0.5) {
        job = toRetry.shift()!
        retry = true
        retriesAfterFailure++
      } else if (acked.size && Math.random() < 0.05) {
        // Resend something already acknowledged, as a widget that lost the answer would.
        const keys = [...acked.keys()]
        const k = keys[Math.floor(Math.random() * keys.length)]!
        job = { key: k, body: bodies.get(k)! }
        resentAfterAck++
      } else {
        const k = `crash-${n}-${seq++}-${Math.random().toString(36).slice(2, 8)}`
        job = {
          key: k,
          body: JSON.stringify({
            message: MESSAGES[seq % MESSAGES.length]!,
            reporter_id: `r${seq % 50}`,
            release: 'web@1',
          }),
        }
        bodies.set(k, job.body)
      }
      const ok = await send(job.key, job.body)
      if (!ok) {
        if (!acked.has(job.key)) toRetry.push(job)
        await new Promise((r) => setTimeout(r, 50))
      } else if (retry) {
        // fine: a retry went through
      }
    }
  }

  let server = startServer(port, file)
  try {
    key = await server.ready
    for (let k = 0; k < opts.kills; k++) {
      stopping = false
      const loops = Array.from({ length: clients }, (_, i) => clientLoop(i))
      const upFor = minUp + Math.random() * (maxUp - minUp)
      await new Promise((r) => setTimeout(r, upFor))
      server.child.kill('SIGKILL')
      await server.exited
      // The clients keep trying while the server is down (their requests fail and are queued).
      await new Promise((r) => setTimeout(r, 100))
      stopping = true
      await Promise.all(loops)
      log(
        `kill ${k + 1}/${opts.kills} after ${Math.round(upFor)} ms: ` +
          `${acknowledged} acknowledged so far, ${toRetry.length} waiting to retry`,
      )
      const t0 = Date.now()
      server = startServer(port, file)
      await server.ready
      restartMs.push(Date.now() - t0)
    }
    // Drain: everything that failed is retried until it is acknowledged (the widget's outbox).
    for (let round = 0; toRetry.length && round < 20; round++) {
      const batch = toRetry.splice(0)
      for (const job of batch) {
        retriesAfterFailure++
        if (!(await send(job.key, job.body))) toRetry.push(job)
      }
    }
    // The restarted server's pipeline clusters what the killed ones left waiting: wait (bounded)
    // until nothing waits, then stop it cleanly.
    const db = createClient({ url: `file:${file}` })
    for (let waited = 0; waited < 60_000; waited += 100) {
      const waiting = Number(
        (await db.execute('SELECT count(*) AS n FROM reports WHERE processed_at IS NULL')).rows[0]!.n,
      )
      if (!waiting) break
      await new Promise((r) => setTimeout(r, 100))
    }
    server.child.kill('SIGTERM')
    await server.exited

    const rows = (await db.execute('SELECT id, idempotency_key FROM reports')).rows
    const storedByKey = new Map<string, string[]>()
    for (const r of rows) {
      const list = storedByKey.get(String(r.idempotency_key)) ?? []
      list.push(String(r.id))
      storedByKey.set(String(r.idempotency_key), list)
    }
    const missing: string[] = []
    for (const [k, id] of acked) {
      const stored = storedByKey.get(k)
      if (!stored) missing.push(k)
      else if (!stored.includes(id)) idMismatches.push(`${k}: answered ${id}, stored ${stored.join(',')}`)
    }
    const duplicates = [...storedByKey.values()].filter((l) => l.length > 1).length
    const integrity = String((await db.execute('PRAGMA integrity_check')).rows[0]![0])
    // Every report processed exactly once by the pipeline, every counter equal to a recount.
    const pipeline = await checkPipeline(db)
    const counts = (
      await db.execute(
        'SELECT (SELECT count(*) FROM reports WHERE cluster_id IS NOT NULL) AS clustered, ' +
          '(SELECT coalesce(sum(report_count), 0) FROM clusters) AS counted',
      )
    ).rows[0]!
    const clusterCountMismatch =
      Number(counts.clustered) === Number(counts.counted)
        ? null
        : `clustered reports ${counts.clustered}, sum of cluster report_count ${counts.counted}`
    db.close()
    return {
      kills: opts.kills,
      sent,
      acknowledged,
      acknowledgedKeys: acked.size,
      retriesAfterFailure,
      resentAfterAck,
      stored: rows.length,
      missing,
      duplicates,
      idMismatches,
      clusterCountMismatch,
      pipelineProblems: pipeline.problems,
      clustered: pipeline.clustered,
      integrity,
      restartMs,
    }
  } finally {
    stopping = true
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}
