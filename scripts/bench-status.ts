// `npm run bench:status`: how fast the status page and its JSON/feeds answer over a realistic
// history — 8 components, 90 days with ~120 incidents (3–4 updates each, most marking
// components), 20 maintenance windows, 2 active incidents — measured in-process with app.request
// (no network), sequential requests after a warm-up; the page also in Simplified Chinese and through
// the Node server's brotli/gzip (bytes = what goes on the wire). Options: RUNS=… (default 300),
// KEEP=1 keeps the database.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, createDeps } from '../worker/app.js'
import { manualClock } from '../worker/clock.js'
import { loadConfig } from '../worker/config.js'
import { createDatabase } from '../worker/db/client.js'
import { openNodeClient } from '../worker/db/node-client.js'
import { migrateDatabase } from '../worker/db/migrate.js'
import { ensureDemoWorkspace } from '../worker/demo/seed.js'
import { declareIncident, postUpdate } from '../worker/domain/incidents/incidents.js'
import { createComponent } from '../worker/domain/incidents/components.js'
import { scheduleMaintenance } from '../worker/domain/incidents/maintenance.js'
import { statusChanged } from '../worker/domain/incidents/cache.js'
import { compressResponses } from '../worker/entries/node-compress.js'

const RUNS = Number(process.env.RUNS ?? 300)
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0)
const DAY = 86_400_000
let seed = 7
const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32
const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-status-'))
  const db = createDatabase(await openNodeClient(`file:${join(dir, 'bench.db')}`))
  await migrateDatabase(db)
  const clock = manualClock(NOW - 100 * DAY)
  const deps = createDeps({ db, clock, config: loadConfig({ EARSHOT_ENV: 'test' }) })
  const app = createApp({ ...deps, log: () => {} })
  const { projectId } = await ensureDemoWorkspace(deps, { origins: ['https://shop.example.com'] })

  const names = ['Website', 'Checkout', 'Search', 'Public API', 'Login', 'Notifications', 'Uploads', 'Billing']
  const comps = []
  for (const name of names) comps.push(await createComponent(deps, projectId, { name }))
  const statuses = ['degraded_performance', 'partial_outage', 'major_outage'] as const
  const impacts = ['minor', 'major', 'critical'] as const
  let incidents = 0
  for (let i = 0; i < 122; i++) {
    clock.set(NOW - 90 * DAY + Math.floor(rnd() * 89 * DAY))
    const affected = rnd() < 0.8 ? [{ componentId: pick(comps).id, status: pick(statuses) }] : []
    const inc = await declareIncident(deps, {
      projectId,
      title: `Incident ${i}: ${pick(names)} ${pick(['slow', 'errors', 'down', 'delayed'])}`,
      impact: pick(impacts),
      message: 'We are investigating reports of problems. '.repeat(2),
      components: affected,
    })
    for (const status of ['identified', 'monitoring', 'resolved'] as const) {
      if (status === 'monitoring' && rnd() < 0.4) continue
      clock.advance(5 * 60_000 + Math.floor(rnd() * 60 * 60_000))
      await postUpdate(deps, inc.id, {
        status,
        message: `Update (${status}): we found the cause and applied a fix; watching closely.`,
        internalNote: 'internal',
      })
    }
    incidents++
  }
  for (let i = 0; i < 20; i++) {
    const start = NOW - 85 * DAY + i * 5 * DAY
    await scheduleMaintenance(deps, {
      projectId,
      title: `Maintenance ${i}`,
      message: 'Planned work.',
      startsAt: start,
      endsAt: start + 2 * 3_600_000,
      componentIds: [pick(comps).id],
    })
  }
  clock.set(NOW - 30 * 60_000)
  for (let i = 0; i < 2; i++)
    await declareIncident(deps, {
      projectId,
      title: `Active ${i}`,
      impact: 'major',
      message: 'Looking into it.',
      components: [{ componentId: comps[i]!.id, status: 'partial_outage' }],
    })
  clock.set(NOW)

  console.log(
    `Seeded ${incidents + 2} incidents, ${comps.length} components, 20 maintenances. ` +
      `${cpus().length} cores, Node ${process.version}. ${RUNS} sequential requests each (after 30 warm-up).`,
  )
  console.log('| endpoint | cold p50 ms | cold p95 ms | warm p50 ms | warm p95 ms | bytes |')
  console.log('|---|---|---|---|---|---|')
  const anIncident = (await db.client.execute('SELECT id FROM incidents LIMIT 1')).rows[0]!.id
  // Each row: what is asked, with which headers, and whether through the Node server's compression
  // (worker/entries/node-compress.ts, as `npm start` answers; Workers leave that to Cloudflare).
  const compressed = compressResponses((req: Request) => app.fetch(req))
  const rows: { label: string; path: string; headers?: Record<string, string>; via?: 'node-compress' }[] = [
    { label: '/status/demo', path: '/status/demo' },
    {
      label: '/status/demo (zh-CN, Accept-Language)',
      path: '/status/demo',
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    },
    {
      label: '/status/demo (br, Node compression)',
      path: '/status/demo',
      headers: { 'accept-encoding': 'br' },
      via: 'node-compress',
    },
    {
      label: '/status/demo (gzip, Node compression)',
      path: '/status/demo',
      headers: { 'accept-encoding': 'gzip' },
      via: 'node-compress',
    },
    { label: '/status/demo/api/v2/summary.json', path: '/status/demo/api/v2/summary.json' },
    { label: '/status/demo/feed.atom', path: '/status/demo/feed.atom' },
    { label: '/status/demo/feed.atom?lang=zh-CN', path: '/status/demo/feed.atom?lang=zh-CN' },
    { label: '/status/demo/feed.rss', path: '/status/demo/feed.rss' },
    { label: '/status/demo/incidents/inc_…', path: `/status/demo/incidents/${anIncident}` },
  ]
  for (const row of rows) {
    const ask = () =>
      row.via
        ? compressed(new Request(`http://localhost${row.path}`, { headers: row.headers }))
        : app.request(row.path, { headers: row.headers })
    let bytes = 0
    for (let i = 0; i < 30; i++) await (await ask()).arrayBuffer()
    // cold: as right after an update (the 2 s read cache is dropped before every request); warm: cached.
    const measure = async (cold: boolean) => {
      const times: number[] = []
      for (let i = 0; i < RUNS; i++) {
        if (cold) statusChanged(deps)
        const t0 = performance.now()
        const res = await ask()
        const body = await res.arrayBuffer()
        times.push(performance.now() - t0)
        bytes = body.byteLength
        if (res.status !== 200) throw new Error(`${row.path} answered ${res.status}`)
        if (row.via && res.headers.get('content-encoding') !== row.headers!['accept-encoding'])
          throw new Error(`${row.label}: not compressed`)
      }
      times.sort((a, b) => a - b)
      return (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1)
    }
    const cold = await measure(true)
    const warm = await measure(false)
    console.log(
      `| \`${row.label}\` | ${cold(0.5)} | ${cold(0.95)} | ${warm(0.5)} | ${warm(0.95)} | ` +
        `${bytes.toLocaleString('en')} |`,
    )
  }
  db.close()
  if (process.env.KEEP) console.log(`kept ${join(dir, 'bench.db')}`)
  else rmSync(dir, { recursive: true, force: true })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
