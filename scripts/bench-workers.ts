// `npm run bench:workers`: the Workers entry in workerd (wrangler's local dev server, Miniflare's
// local Cloudflare Queue from wrangler.toml) against a real libSQL server (sqld), with a counting
// HTTP proxy in front of sqld so database requests are counted where they arrive:
//   1. requests to the database per report before the 202 (first report of a fresh isolate, then warm)
//   2. requests per queue consumer run and per report, for a burst of concurrent reports
//   3. time from the crossing report's 202 to the surge webhook at a real local receiver
//
//   npm run bench:workers                 # ~1 min
//   BENCH_REPORTS=200 BENCH_ROUNDS=10 npm run bench:workers
//
// Local figures: Miniflare's queue and sqld on loopback. At Cloudflare each database request is a
// round trip to Turso (tens of ms from a far location, ~1–5 ms with Smart Placement near the
// primary), which is why the count matters more than the local times.
import { execFile } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { promisify } from 'node:util'
import { createClient as createWebClient } from '@libsql/client/web'
import { createDeps } from '../worker/app.js'
import { systemClock } from '../worker/clock.js'
import { loadConfig } from '../worker/config.js'
import { createDatabase } from '../worker/db/client.js'
import { ensureDemoWorkspace } from '../worker/demo/seed.js'
import { createWebhook } from '../worker/domain/notifications/webhooks.js'
import { startCountingProxy } from '../test/support/counting-proxy.js'
import { startSqld } from '../test/support/sqld.js'
import { startWorkerd } from '../test/support/workerd.js'
import { startReceiver } from '../test/notifications/receiver.js'
import { ensureBuilt, ROOT } from '../test/workers/build-output.js'

const WARM_SAMPLES = Number(process.env.BENCH_SAMPLES || 20)
const BURST = Number(process.env.BENCH_REPORTS || 100)
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5)
const ORIGIN = 'https://shop.example.com'
const TOPICS = [
  'coupon wheel spins forever',
  'invoice download is blank',
  'avatar upload freezes',
  'search box forgets filters',
  'password reset mail never arrives',
  'map tiles stay grey',
  'calendar shows wrong weekday',
  'export button greyed out',
  'chat widget overlaps footer',
  'language switcher loops',
]

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}
const fmt = (xs: number[]) => `min ${Math.min(...xs)} / p50 ${pct(xs, 50)} / max ${Math.max(...xs)}`

async function main() {
  ensureBuilt()
  console.log(
    `bench:workers — ${cpus().length} CPU(s), load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  const sqld = await startSqld()
  const proxy = await startCountingProxy(sqld.url)
  const rx = await startReceiver()
  try {
    await promisify(execFile)('node', ['--import', 'tsx', 'scripts/db-migrate.ts'], {
      cwd: ROOT,
      env: { ...process.env, LIBSQL_URL: sqld.url, LIBSQL_AUTH_TOKEN: sqld.authToken, TURSO_DATABASE_URL: '' },
    })
    const seedDb = createDatabase(createWebClient({ url: sqld.url, authToken: sqld.authToken }))
    const seedDeps = createDeps({ db: seedDb, clock: systemClock, config: loadConfig({ EARSHOT_ENV: 'test' }) })
    const { publicKey } = await ensureDemoWorkspace(seedDeps, {
      origins: [ORIGIN],
      adminEmail: 'bench@example.com',
      adminPassword: 'bench workers password',
    })
    const [project] = await sqld.query('SELECT id FROM projects WHERE public_key = ?', [publicKey])
    await createWebhook(seedDeps, { projectId: String(project!.id), url: rx.url, kind: 'slack', events: ['surge'] })
    seedDb.close()

    const { worker, url } = await startWorkerd({
      logLevel: 'error',
      bindings: {
        LIBSQL_URL: { type: 'plain_text', value: proxy.url },
        LIBSQL_AUTH_TOKEN: { type: 'secret_text', value: sqld.authToken! },
        // test: no abuse limits (the bench sends bursts from one address), webhooks to 127.0.0.1 allowed
        EARSHOT_ENV: { type: 'plain_text', value: 'test' },
      },
    })
    const post = (message: string, key: string, ip = '192.0.2.1') =>
      fetch(new URL('/v1/reports', url), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Earshot-Key': publicKey,
          Origin: ORIGIN,
          'Idempotency-Key': key,
          'CF-Connecting-IP': ip,
        },
        body: JSON.stringify({ message, reporter_id: key }),
      })
    const waiting = async () =>
      Number((await sqld.query('SELECT count(*) AS n FROM reports WHERE processed_at IS NULL'))[0]!.n)
    try {
      // 1. Before the 202: count only while nothing else talks to the database.
      const counts: number[] = []
      for (let i = 0; i <= WARM_SAMPLES; i++) {
        await proxy.quiet(1200)
        const from = proxy.requests.length
        const res = await post(`Bench: the checkout page number ${i} is slow`, `bw-count-${i}`)
        if (res.status !== 202) throw new Error(`report answered ${res.status}`)
        counts.push(proxy.requests.length - from)
      }
      const [cold, ...warm] = counts
      console.log(
        `\n1. database requests before the 202: first report of a fresh isolate ${cold}; ` +
          `warm (${warm.length} reports) ${fmt(warm)}`,
      )

      // 2. Crossing report → webhook: 7 people on 7 addresses report the same new problem.
      const delays: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        await proxy.quiet(1500)
        const before = rx.received.length
        const topic = TOPICS[(round + 3) % TOPICS.length]!
        const sentAt = new Map<number, number>()
        for (let i = 0; i < 7; i++) {
          const res = await post(
            i % 2 ? `The ${topic}` : `${topic}, again`,
            `bw-surge-${round}-${i}`,
            `198.51.${100 + round}.${10 + i}`,
          )
          if (res.status !== 202) throw new Error(`surge report answered ${res.status}`)
          sentAt.set(i, Date.now())
        }
        try {
          await rx.waitFor(before + 1, 30_000)
        } catch {
          console.log(`   round ${round}: no webhook within 30 s`)
          continue
        }
        const hookAt = rx.received[before]!.at
        // The crossing report: the one stored at the surge's start.
        const [surge] = await sqld.query('SELECT started_at FROM surges ORDER BY started_at DESC LIMIT 1')
        const [crossing] = await sqld.query(
          'SELECT idempotency_key FROM reports WHERE created_at <= ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
          [Number(surge!.started_at)],
        )
        const index = Number(String(crossing!.idempotency_key).split('-').pop())
        delays.push(hookAt - sentAt.get(index)!)
      }
      console.log(
        `\n2. crossing report's 202 → surge webhook at the receiver (${ROUNDS} rounds): ` +
          `${fmt(delays)} ms (target ≤ 10,000)`,
      )
      // 3. A burst (last: its reports start surges of their own) of concurrent reports: the
      // consumer's requests per run and per report.
      await proxy.quiet(1500)
      const from = proxy.requests.length
      const started = Date.now()
      const answers = await Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          post(`Bench burst ${i}: ${TOPICS[i % TOPICS.length]}`, `bw-burst-${i}`),
        ),
      )
      const bad = answers.filter((r) => r.status !== 202)
      if (bad.length)
        throw new Error(`${bad.length} burst reports were not accepted: ${bad[0]!.status} ${await bad[0]!.text()}`)
      const acceptedAt = Date.now()
      while ((await waiting()) > 0) await new Promise((ok) => setTimeout(ok, 100))
      const clusteredAt = Date.now()
      await proxy.quiet(1500)
      const phase = proxy.requests.slice(from)
      // Intake requests: the repeat-limit upsert and the INSERT batch (2 per report, see 1.).
      const intake = phase.filter(
        (r) => r.body.includes('INSERT INTO rate_limits') || r.body.includes('INSERT INTO reports'),
      ).length
      const runs = phase.filter((r) => r.body.includes('UPDATE pipeline_leases SET expires_at = 0')).length
      const consumer = phase.length - intake
      console.log(
        `\n3. burst of ${BURST} concurrent reports: all 202 in ${acceptedAt - started} ms, ` +
          `all clustered ${clusteredAt - started} ms after the first was sent;` +
          `\n   ${intake} intake requests (${(intake / BURST).toFixed(2)} per report); ` +
          `queue consumer: ${runs} run(s), ${consumer} requests ` +
          `(${(consumer / Math.max(1, runs)).toFixed(1)} per run, ${(consumer / BURST).toFixed(2)} per report)`,
      )
    } finally {
      await worker.dispose()
    }
  } finally {
    await rx.close()
    await proxy.close()
    await sqld.close()
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
