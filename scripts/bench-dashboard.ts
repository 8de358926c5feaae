// `npm run bench:dashboard`: seeds 1,000,000 reports in 50,000 clusters into a temp libSQL file
// (batched multi-row inserts; the FTS index is rebuilt once after the load), then measures the
// dashboard API in-process (app.request, no network): the clusters list as the dashboard asks for
// it, filtered variants, full-text search, and cluster pages (random clusters and the biggest).
// Last, the first useful paint of the clusters page in Chromium over the same data (needs the
// dashboard built). Options: REPORTS=… CLUSTERS=… RUNS=… (defaults 1e6, 5e4, 300).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Client, InStatement } from '@libsql/client'
import { createApp, createDeps } from '../worker/app.js'
import { loadConfig } from '../worker/config.js'
import { createDatabase } from '../worker/db/client.js'
import { openNodeClient } from '../worker/db/node-client.js'
import { migrateDatabase } from '../worker/db/migrate.js'
import { ensureDemoWorkspace } from '../worker/demo/seed.js'
import { newId } from '../worker/domain/shared/ids.js'
import { PUBLIC_DIR, startNodeServer } from '../worker/entries/node-server.js'
import { launchBrowser } from '../test/support/browser.js'

const REPORTS = Number(process.env.REPORTS ?? 1_000_000)
const CLUSTERS = Number(process.env.CLUSTERS ?? 50_000)
const RUNS = Number(process.env.RUNS ?? 300)
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0)
const DAYS = 30

// Deterministic PRNG so every run seeds the same data.
let seed = 42
const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32
const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!

const SUBJECTS = [
  'checkout',
  'login',
  'search',
  'invoice',
  'fonts',
  'pricing page',
  'dark mode',
  'upload',
  'map',
  'cart',
  'password reset',
  'export',
  'notifications',
  'profile photo',
  'billing',
  'dashboard',
]
const PROBLEMS = [
  'does not load',
  'looks different',
  'is broken',
  'shows an error',
  'is very slow',
  'disappeared',
  'keeps spinning',
  'crashes the tab',
  'gives a blank page',
  'charges twice',
]
const CJK = ['结账页面打不开', '字体看起来不一样', '登录一直失败', '搜索没有结果', '价格页面不见了', '上传图片失败']
const ROUTES = [
  '/checkout',
  '/login',
  '/search',
  '/orders/:id',
  '/pricing',
  '/settings',
  '/cart',
  '/account/billing',
  '/upload',
  '/map',
]
const RELEASES = ['web@4.1.0', 'web@4.1.1', 'web@4.2.0', 'web@4.2.1', 'web@4.3.0']
const BROWSERS: [string, string][] = [
  [
    'Chrome 131',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  ],
  ['Firefox 133', 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'],
  [
    'Safari 18',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/18.0 Safari/605.1.15',
  ],
]
const LOCALES = ['en-US', 'de-DE', 'zh-CN', 'fr-FR', 'ja-JP']

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function main() {
  const reuse = process.env.DB && existsSync(process.env.DB) ? process.env.DB : undefined
  const dir = reuse ? undefined : mkdtempSync(join(tmpdir(), 'earshot-bench-dashboard-'))
  const file = reuse ?? join(dir!, 'bench.db')
  const db = createDatabase(await openNodeClient(`file:${file}`))
  await migrateDatabase(db)
  const clock = { now: () => NOW }
  const config = loadConfig({ EARSHOT_ENV: 'test' })
  const deps = createDeps({ db, clock, config })
  const demo = await ensureDemoWorkspace(deps, {
    origins: ['https://shop.example.com'],
    adminEmail: 'bench@example.com',
    adminPassword: 'bench password 123',
  })
  const projectId = demo.projectId

  const t0 = performance.now()
  if (!reuse) await seedData(db.client, projectId)
  const seedSeconds = (performance.now() - t0) / 1000
  if (process.env.SEED_ONLY) return console.log(`seeded ${file} in ${seedSeconds.toFixed(0)} s`)
  await measureApi(deps, file, seedSeconds, reuse)
}

async function seedData(client: Client, projectId: string) {
  // Bulk load: index the text once at the end ('rebuild') instead of row by row in the trigger.
  await client.execute('DROP TRIGGER reports_fts_ai')
  // Cluster sizes: heavy-tailed (a few huge clusters, many small ones), summing to REPORTS.
  const weights = Array.from({ length: CLUSTERS }, (_, i) => 1 / (i + 1) ** 0.8)
  const total = weights.reduce((a, b) => a + b, 0)
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / total) * REPORTS)))
  let diff = REPORTS - sizes.reduce((a, b) => a + b, 0)
  for (let i = 0; diff > 0; i = (i + 1) % CLUSTERS, diff--) sizes[i]!++
  // Each cluster lives in a time window somewhere in the last 30 days; ~5% are active right now.
  const clusters = sizes.map((size, i) => {
    const recent = rnd() < 0.05
    const end = recent ? NOW - rnd() * 3_600_000 : NOW - rnd() * DAYS * 86_400_000
    const span = Math.min(end - (NOW - DAYS * 86_400_000), (0.1 + rnd() * 3) * 86_400_000)
    const start = end - span
    const useCjk = rnd() < 0.2
    const title = useCjk ? pick(CJK) : `The ${pick(SUBJECTS)} ${pick(PROBLEMS)}`
    const status = rnd() < 0.8 ? 'open' : pick(['acknowledged', 'muted', 'resolved'])
    return {
      id: newId('clu', start),
      size,
      start,
      end,
      title,
      useCjk,
      status,
      route: pick(ROUTES),
      release: pick(RELEASES),
      i,
    }
  })

  // Seeded reports are already clustered: processed_at is set, so the pipeline leaves them alone.
  const reportCols =
    '(id, project_id, idempotency_key, message, route, release, user_agent, locale, reporter_id, context, source, ' +
    'cluster_id, created_at, processed_at)'
  const breakdown = new Map<string, number>()
  const bump = (k: string) => breakdown.set(k, (breakdown.get(k) ?? 0) + 1)
  const stmts: InStatement[] = []
  let rows: string[] = []
  let args: (string | number)[] = []
  let written = 0
  const flush = async (force = false) => {
    if (rows.length && (rows.length >= 400 || force)) {
      stmts.push({ sql: `INSERT INTO reports ${reportCols} VALUES ${rows.join(',')}`, args })
      rows = []
      args = []
    }
    if (stmts.length >= 50 || (force && stmts.length)) {
      await client.batch(stmts.splice(0), 'write')
    }
  }
  const clusterRows: (string | number)[][] = []
  for (const c of clusters) {
    const reporters = new Set<string>()
    let first = Infinity
    let last = 0
    for (let k = 0; k < c.size; k++) {
      const at = Math.floor(c.start + rnd() * (c.end - c.start))
      first = Math.min(first, at)
      last = Math.max(last, at)
      const route = rnd() < 0.8 ? c.route : pick(ROUTES)
      const release = rnd() < 0.7 ? c.release : pick(RELEASES)
      const [browser, ua] = pick(BROWSERS)
      const locale = c.useCjk ? 'zh-CN' : pick(LOCALES)
      const reporter = `anon_${Math.floor(rnd() * 400_000)}`
      reporters.add(reporter)
      const tails = ['again', 'since this morning', 'on my phone', 'for order 8812', 'after the update', '!!']
      const message = `${c.title}${rnd() < 0.5 ? '' : ` ${pick(tails)}`}`
      rows.push('(?,?,?,?,?,?,?,?,?,?,?,?,?,?)')
      args.push(
        newId('rep', at),
        projectId,
        `bench-${written}`,
        message,
        route,
        release,
        ua,
        locale,
        reporter,
        '{}',
        'widget',
        c.id,
        at,
        at,
      )
      bump(`${c.id}\u0000route\u0000${route}`)
      bump(`${c.id}\u0000release\u0000${release}`)
      bump(`${c.id}\u0000browser\u0000${browser}`)
      bump(`${c.id}\u0000locale\u0000${locale}`)
      written++
      await flush()
    }
    clusterRows.push([c.id, projectId, c.title, c.status, c.size, reporters.size, first, last, first])
    if (written % 100_000 < c.size) process.stderr.write(`\r  seeded ${written.toLocaleString()} reports…`)
  }
  await flush(true)
  for (let i = 0; i < clusterRows.length; i += 500) {
    const chunk = clusterRows.slice(i, i + 500)
    await client.execute({
      sql: `INSERT INTO clusters (id, project_id, title, status, report_count, reporter_count, first_seen_at,
          last_seen_at, created_at) VALUES ${chunk.map(() => '(?,?,?,?,?,?,?,?,?)').join(',')}`,
      args: chunk.flat(),
    })
  }
  const bd = [...breakdown.entries()].map(([k, n]) => [...k.split('\u0000'), n])
  for (let i = 0; i < bd.length; i += 500) {
    const chunk = bd.slice(i, i + 500)
    await client.execute({
      sql: `INSERT INTO cluster_breakdowns (cluster_id, dimension, value, count)
        VALUES ${chunk.map(() => '(?,?,?,?)').join(',')}`,
      args: chunk.flat() as (string | number)[],
    })
  }
  process.stderr.write('\n  building the full-text index…')
  await client.execute(`INSERT INTO reports_fts(reports_fts) VALUES ('rebuild')`)
  await client.execute(
    `CREATE TRIGGER reports_fts_ai AFTER INSERT ON reports BEGIN
      INSERT INTO reports_fts(rowid, message) VALUES (new.rowid, new.message); END`,
  )
  await client.execute('ANALYZE')
  process.stderr.write('\n')
}

async function measureApi(
  deps: ReturnType<typeof createDeps>,
  file: string,
  seedSeconds: number,
  reused: string | undefined,
) {
  const { db } = deps

  // ---- measure ----
  const app = createApp({ ...deps, log: () => {} })
  const login = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench password 123' }),
  })
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  const get = async (path: string) => {
    const s = performance.now()
    const res = await app.request(path, { headers: { cookie } })
    if (res.status !== 200) throw new Error(`${path} → ${res.status} ${await res.text()}`)
    await res.arrayBuffer()
    return performance.now() - s
  }
  const measure = async (label: string, paths: () => string) => {
    for (let i = 0; i < 30; i++) await get(paths())
    const times: number[] = []
    for (let i = 0; i < RUNS; i++) times.push(await get(paths()))
    times.sort((a, b) => a - b)
    const r = { label, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) }
    console.log(
      `  ${label.padEnd(58)} p50 ${r.p50.toFixed(1).padStart(6)} ms   ` +
        `p95 ${r.p95.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms`,
    )
    return r
  }
  const clusters = (await db.client.execute('SELECT id, report_count AS size FROM clusters')).rows.map((r) => ({
    id: String(r.id),
    size: Number(r.size),
  }))
  const reportTotal = clusters.reduce((a, c) => a + c.size, 0)
  const bySize = [...clusters].sort((a, b) => b.size - a.size)
  console.log(
    `\n${reused ? `Reused ${reused}` : `Seeded in ${seedSeconds.toFixed(0)} s`}: ` +
      `${reportTotal.toLocaleString()} reports in ${clusters.length.toLocaleString()} clusters ` +
      `(${(statSync(file).size / 1e9).toFixed(2)} GB file)`,
  )
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
  console.log(
    `Biggest cluster: ${bySize[0]!.size.toLocaleString()} reports; ` +
      `median ${bySize[Math.floor(clusters.length / 2)]!.size}. ` +
      `Load average before measuring: ${load} on ${cpus().length} cores\n`,
  )
  const results = [
    await measure(
      'GET /api/clusters?status=active&limit=50 (dashboard default)',
      () => '/api/clusters?status=active&limit=50',
    ),
    await measure('GET /api/clusters?status=&limit=50 (all statuses)', () => '/api/clusters?limit=50&status='),
    await measure(
      'GET /api/clusters?status=active&limit=100 (two pages)',
      () => '/api/clusters?status=active&limit=100',
    ),
    await measure(
      'GET /api/clusters?range=24h&release=…',
      () => `/api/clusters?status=active&range=24h&release=${encodeURIComponent(pick(RELEASES))}&limit=50`,
    ),
    await measure(
      'GET /api/clusters?q=… (full-text search)',
      () =>
        `/api/clusters?status=&q=${encodeURIComponent(
          pick(['pricing page', 'dark mode', '字体看', 'password reset', 'order 8812']),
        )}&limit=50`,
    ),
    await measure('GET /api/clusters/:id (random cluster)', () => `/api/clusters/${pick(clusters).id}`),
    await measure(
      'GET /api/clusters/:id (the 20 biggest clusters)',
      () => `/api/clusters/${bySize[Math.floor(rnd() * 20)]!.id}`,
    ),
  ]
  console.log(
    `  (load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  )
  console.log(
    `\nTargets: clusters list p95 ≤ 50 ms → ${results[0]!.p95 <= 50 ? 'met' : 'MISSED'}; ` +
      `cluster page p95 ≤ 100 ms → ${Math.max(results[5]!.p95, results[6]!.p95) <= 100 ? 'met' : 'MISSED'}`,
  )
  db.close()
  await measurePaint(file)
  if (process.env.KEEP || reused) console.log(`kept ${file} (DB=${file} reuses it)`)
  else rmSync(dirname(file), { recursive: true, force: true })
}

/**
 * First useful paint: the real Node server over the same 1M-report file, Chromium signed in,
 * time from navigation start until the first cluster row is on screen (10 cold page loads).
 */
async function measurePaint(file: string) {
  if (!existsSync(join(PUBLIC_DIR, 'dashboard/index.html'))) {
    console.log('\n  (first paint not measured: run `npm run build:dashboard` first)')
    return
  }
  const server = await startNodeServer({
    databaseUrl: `file:${file}`,
    port: 0,
    env: { EARSHOT_ENV: 'test' },
    clock: { now: () => NOW },
    jobsIntervalMs: 0,
    log: () => {},
  })
  const browser = await launchBrowser()
  try {
    const login = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.com', password: 'bench password 123' }),
    })
    const [name, value] = login.headers.get('set-cookie')!.split(';')[0]!.split('=')
    const times: number[] = []
    for (let i = 0; i < 11; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1360, height: 860 } })
      await ctx.addCookies([{ name: name!, value: value!, url: server.url }])
      const page = await ctx.newPage()
      await page.goto(`${server.url}/dashboard/clusters`)
      await page.waitForSelector('.cluster-row')
      const ms = await page.evaluate(() => performance.now())
      if (i > 0) times.push(ms) // the first load warms the server's caches
      await ctx.close()
    }
    times.sort((a, b) => a - b)
    console.log(
      `  ${'first useful paint: /dashboard/clusters, cold page, Chromium'.padEnd(58)} ` +
        `p50 ${percentile(times, 50).toFixed(0).padStart(6)} ms   ` +
        `max ${times[times.length - 1]!.toFixed(0).padStart(6)} ms`,
    )
  } finally {
    await browser.close()
    await server.close()
  }
}

await main()
