// npm run bench:surge [-- --data DIR] [-- --weeks N] [-- --seed N] [-- --rate PER_MIN] [-- --node-trials N] [-- --skip-node]
//
// Alert quality on a simulated week (or several): ordinary background reports built from the
// labelled texts in ../shared/data (a label = one underlying problem), with injected surges,
// replayed through the server's own intake, clustering and surge detection on a simulated clock.
// Reports, per injected surge, the delay from its onset to the first alert about it, and the
// alerts that matched no injected surge (false alerts) per simulated week.
// Then, on the real Node server with a real local HTTP receiver, the time from sending the report
// that crosses the threshold to the webhook request arriving.
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse/sync'
import { startNodeServer } from '../worker/entries/node-server.js'
import { createWebhook } from '../worker/domain/notifications/webhooks.js'
import { DEFAULT_SURGE_SETTINGS } from '../worker/domain/surge/settings.js'
import { topicTerms } from '../worker/domain/surge/topics.js'
import { openSurgeHarness, replayRows, type Alert, type ReplayRow } from './surge-replay.js'
import { rng } from './lib/rng.js'

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(import.meta.dirname, '../../shared/data') },
    weeks: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    rate: { type: 'string', default: '0.5' },
    'node-trials': { type: 'string', default: '20' },
    'skip-node': { type: 'boolean', default: false },
    'skip-replay': { type: 'boolean', default: false },
    settings: { type: 'string' },
  },
})

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

// ---- deterministic randomness ----------------------------------------------------------------
function poisson(random: () => number, lambda: number): number {
  const l = Math.exp(-lambda)
  let k = 0
  let p = 1
  do {
    k++
    p *= random()
  } while (p > l)
  return k - 1
}
const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!

// ---- data --------------------------------------------------------------------------------------
type Texts = Map<string, string[]>
function readLabelled(path: string): Texts {
  const rows = parse(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true }) as {
    text: string
    label: string
  }[]
  const byLabel: Texts = new Map()
  for (const r of rows) {
    if (!byLabel.has(r.label)) byLabel.set(r.label, [])
    byLabel.get(r.label)!.push(r.text)
  }
  return byLabel
}

if (!values['skip-replay'] && !existsSync(join(values.data, 'clinc150/test.csv'))) {
  console.error(`no data at ${values.data} (pass --data DIR with clinc150/ and smp_ecdt/)`)
  process.exit(2)
}

// Web-product complaints after a bad deploy: several different problems at once, each written in
// several ways, nearly all naming "the page", "the site" or "the app" (the generic words that must
// not surge on their own). Written for this bench; the background corpora are assistant requests.
const WEB_PROBLEMS: Record<string, string[]> = {
  fonts: [
    'Fonts look weird on the orders page, like a serif font',
    'the font on the site changed??',
    'why is the typeface different on every page now',
    'Text font in the app is different than yesterday',
    '页面上的字体全变了',
    '网站字体怎么变成宋体了',
  ],
  pricing: [
    'The pricing page is gone, 404',
    'pricing page vanished from the site',
    'where did the plans page go? it says not found',
    'I cannot find the pricing on your website anymore',
    '价格页面打不开了',
    '网站的价格页没了',
  ],
  checkout: [
    'checkout page says my card was declined but it is fine',
    'cannot pay, the checkout on the site fails',
    'payment failed on the app three times',
    'checkout button on the page does nothing',
    '付款页面一直失败',
    '结账的时候网站报错',
  ],
  login: [
    'login page keeps sending me back to the login page',
    'stuck in a sign in loop on the site',
    'the app logs me out right after I log in',
    'cannot log in, page just reloads',
    '登录页面一直循环',
    '网站登录不上去',
  ],
  images: [
    'images are missing on the product page',
    'all pictures on the site are broken icons',
    'the app shows grey boxes instead of photos',
    'product photos do not load on any page',
    '页面上的图片都不显示了',
    '网站图片全挂了',
  ],
  search: [
    'search page returns nothing for anything',
    'site search is empty, even for exact names',
    'search in the app finds zero results',
    'the search results page is blank',
    '搜索页面没有结果',
    '网站搜索什么都搜不到',
  ],
  export: [
    'export button on the reports page does nothing',
    'CSV export from the site never downloads',
    'the app export spins and nothing happens',
    'clicking export on the page, nothing',
    '导出按钮点了没反应',
    '网站导出功能坏了',
  ],
  slow: [
    'the dashboard page takes a minute to load',
    'site is super slow today',
    'the app is crawling, every page takes ages',
    'dashboard page times out',
    '页面加载特别慢',
    '网站今天好卡',
  ],
}
const WEB_LABELS = Object.keys(WEB_PROBLEMS)
/** Stems / words the issue names as generic: an alert on one of them alone is a failure. */
const GENERIC_CHECK = new Set([
  'page',
  'site',
  'websit',
  'webpag',
  'app',
  'applic',
  'screen',
  '页面',
  '页',
  '面',
  '网站',
  '网页',
  '应用',
])

// ---- the simulated week ------------------------------------------------------------------------
interface Injected {
  name: string
  kind: 'cluster' | 'project'
  onset: number
  end: number
  /** reports it adds */
  reports: number
  note: string
  /** the dataset label its texts come from ('many' for project-wide surges) */
  label: string
}

interface Tagged extends ReplayRow {
  /** index into the injected surges, -1 for background */
  tag: number
}

function buildWeek(seed: number, start: number, en: Texts, zh: Texts, ratePerMin: number) {
  const random = rng(seed)
  const enLabels = [...en.keys()].sort()
  const zhLabels = [...zh.keys()].sort()
  // Shuffle, then hold some labels out of the background: they become brand-new problems.
  const shuffle = <T>(list: T[]) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[list[i], list[j]] = [list[j]!, list[i]!]
    }
    return list
  }
  shuffle(enLabels)
  shuffle(zhLabels)
  const heldEn = enLabels.splice(0, 4)
  const heldZh = zhLabels.splice(0, 2)
  // Background popularity: a few problems are common, most are rare (Zipf, s = 0.8).
  const pool = [
    ...enLabels.map((l) => ({ lang: 'en' as const, label: l })),
    ...zhLabels.map((l) => ({ lang: 'zh' as const, label: l })),
  ]
  const weights = pool.map((_, i) => 1 / (i + 1) ** 0.8)
  const totalWeight = weights.reduce((a, b) => a + b, 0)
  shuffle(pool) // popularity independent of language
  const pickBackground = () => {
    let x = random() * totalWeight
    for (let i = 0; i < pool.length; i++) if ((x -= weights[i]!) <= 0) return pool[i]!
    return pool[pool.length - 1]!
  }
  const textOf = (p: { lang: 'en' | 'zh' | 'web'; label: string }) =>
    pick(random, p.lang === 'web' ? WEB_PROBLEMS[p.label]! : (p.lang === 'en' ? en : zh).get(p.label)!)

  const rows: Tagged[] = []
  let reporterSeq = 0
  const recent: { id: string; p: { lang: 'en' | 'zh'; label: string }; at: number }[] = []

  // Ordinary traffic: a daily cycle (peak mid-afternoon, trough at night), quieter weekends.
  for (let m = 0; m < 7 * 24 * 60; m++) {
    const at = start + m * MIN
    const hour = (at / HOUR) % 24
    const day = Math.floor((at - start) / DAY)
    const daily = 1 + 0.7 * Math.sin((2 * Math.PI * (hour - 10)) / 24)
    const weekly = day >= 5 ? 0.7 : 1
    const n = poisson(random, ratePerMin * daily * weekly)
    for (let k = 0; k < n; k++) {
      const t = at + Math.floor(random() * MIN)
      // Some customers write twice about the same thing within a few minutes.
      const again = recent.filter((r) => t - r.at < 10 * MIN)
      if (again.length && random() < 0.05) {
        const r = pick(random, again)
        rows.push({ text: textOf(r.p), createdAt: t, reporterId: r.id, tag: -1 })
        continue
      }
      const p = pickBackground()
      const id = `bg-${reporterSeq++}`
      recent.push({ id, p, at: t })
      if (recent.length > 50) recent.shift()
      rows.push({ text: textOf(p), createdAt: t, reporterId: id, release: 'web@1.0.0', tag: -1 })
    }
  }

  // Injected surges, at different times of day, at least a day apart.
  const injected: Injected[] = []
  const at = (day: number, hour: number) => start + day * DAY + hour * HOUR + Math.floor(random() * 50) * MIN
  const burst = (
    tag: number,
    onset: number,
    minutes: number,
    perMin: number,
    next: () => { lang: 'en' | 'zh' | 'web'; label: string },
    release?: string,
  ) => {
    let count = 0
    for (let m = 0; m < minutes; m++) {
      const n = poisson(random, perMin)
      for (let k = 0; k < n; k++) {
        rows.push({
          text: textOf(next()),
          createdAt: onset + m * MIN + Math.floor(random() * MIN),
          reporterId: `s${tag}-${reporterSeq++}`,
          release,
          tag,
        })
        count++
      }
    }
    return count
  }
  const add = (
    s: Omit<Injected, 'reports' | 'end' | 'label'> & {
      minutes: number
      perMin: number
      next: () => { lang: 'en' | 'zh' | 'web'; label: string }
      deploy?: string
    },
  ) => {
    const tag = injected.length
    if (s.deploy) rows.push({ text: '', createdAt: s.onset - 4 * MIN, deployRelease: s.deploy, tag: -2 })
    const reports = burst(tag, s.onset, s.minutes, s.perMin, s.next, s.deploy)
    const label = s.kind === 'project' ? 'many' : s.next().label
    injected.push({
      name: s.name,
      kind: s.kind,
      onset: s.onset,
      end: s.onset + s.minutes * MIN,
      reports,
      note: s.note,
      label,
    })
  }
  const popular = pool[0]!
  const many = () => pickBackground()
  add({
    name: 'new problem (en)',
    kind: 'cluster',
    onset: at(1, 10),
    minutes: 20,
    perMin: 1.2,
    next: () => ({ lang: 'en', label: heldEn[0]! }),
    note: 'a problem never reported before: 1.2 reports/min for 20 min',
  })
  add({
    name: 'new problem (zh), night',
    kind: 'cluster',
    onset: at(2, 3),
    minutes: 20,
    perMin: 1,
    next: () => ({ lang: 'zh', label: heldZh[0]! }),
    note: 'Chinese reports at 03:00: 1 report/min for 20 min',
  })
  add({
    name: 'rolled-back site after deploy',
    kind: 'project',
    onset: at(3, 15),
    minutes: 20,
    perMin: 4,
    next: many,
    deploy: 'web@2.0.0',
    note: 'many different complaints after a deploy, at peak hour: +4 reports/min for 20 min',
  })
  add({
    name: 'common problem gets hot',
    kind: 'cluster',
    onset: at(4, 11),
    minutes: 15,
    perMin: 1.5,
    next: () => popular,
    note: 'the most common background problem: +1.5 reports/min for 15 min',
  })
  add({
    name: 'broken deploy, night',
    kind: 'project',
    onset: at(5, 2),
    minutes: 30,
    perMin: 2.5,
    next: many,
    deploy: 'web@2.0.1',
    note: 'many different complaints at 02:00 on a weekend: +2.5 reports/min for 30 min',
  })
  add({
    name: 'slow new problem',
    kind: 'cluster',
    onset: at(6, 18),
    minutes: 40,
    perMin: 0.6,
    next: () => ({ lang: 'en', label: heldEn[1]! }),
    note: 'weak: 0.6 reports/min for 40 min (below the 5-in-5-minutes design point)',
  })
  // Issue 13: a slow burn (25 reports over 45 minutes) and many symptoms after a deploy.
  add({
    name: 'slow burn',
    kind: 'cluster',
    onset: at(0, 13),
    minutes: 45,
    perMin: 25 / 45,
    next: () => ({ lang: 'en', label: heldEn[2]! }),
    note: '25 reports over 45 min (0.56/min)',
  })
  add({
    name: 'many symptoms after a deploy',
    kind: 'project',
    onset: at(2, 16),
    minutes: 30,
    perMin: 2.4,
    deploy: 'web@3.0.0',
    next: () => ({ lang: 'web', label: pick(random, WEB_LABELS) }),
    note: 'deploy marker, then 8 different web problems (fonts, pricing page gone, checkout, login loop …) in English and Chinese: +2.4 reports/min for 30 min',
  })
  rows.sort((a, b) => a.createdAt - b.createdAt)
  return { rows, injected }
}

// ---- scoring -------------------------------------------------------------------------------------
interface WeekResult {
  injected: (Injected & {
    delayMs: number | null
    alerts: number
    clusters: number
    topShare: number
    scopes: string[]
  })[]
  falseAlerts: { alert: Alert; why: string }[]
  alerts: number
  /** Topic alerts on a word the issue names as generic (page, site, app, 页面 …). */
  genericAlerts: Alert[]
  reports: number
  msPerReport: number
}

async function runWeek(seed: number, en: Texts, zh: Texts, settings?: Record<string, unknown>): Promise<WeekResult> {
  const start = Date.UTC(2026, 0, 5, 0, 0, 0) // a Monday
  const { rows, injected } = buildWeek(seed, start, en, zh, Number(values.rate))
  const h = await openSurgeHarness({ start, settings })
  const clusterOf: (string | null)[] = []
  const attributed = new Map<number, number[]>()
  const scopesOf = new Map<number, string[]>()
  const falseAlerts: WeekResult['falseAlerts'] = []
  const genericAlerts: Alert[] = []
  const started = performance.now()
  try {
    const alerts = await replayRows(h, rows, {
      onReport: (i, clusterId) => (clusterOf[i] = clusterId),
      onAlert: (alert, i) => {
        if (alert.scope === 'topic' && GENERIC_CHECK.has(alert.topic!)) genericAlerts.push(alert)
        // A slow-burn alert looks at its own (longer) window.
        const windowMs = alert.windowMinutes * MIN
        // Which injected surge (if any) is this alert about? Look at the reports in its window.
        const inWindow: number[] = []
        for (let j = i; j >= 0 && rows[j]!.createdAt > alert.startedAt - windowMs; j--) {
          if (rows[j]!.deployRelease) continue
          const about =
            alert.scope === 'project' ||
            (alert.scope === 'cluster'
              ? clusterOf[j] === alert.clusterId
              : topicTerms(rows[j]!.text).includes(alert.topic!))
          if (about) inWindow.push(rows[j]!.tag)
        }
        const counts = new Map<number, number>()
        for (const tag of inWindow) if (tag >= 0) counts.set(tag, (counts.get(tag) ?? 0) + 1)
        const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]
        const share = best ? best[1] / inWindow.length : 0
        // A cluster or topic alert is about a surge when most of its window is that surge; a
        // project alert when a good part of the whole window is.
        if (best && share >= (alert.scope === 'project' ? 0.3 : 0.5)) {
          if (!attributed.has(best[0])) attributed.set(best[0], [])
          attributed.get(best[0])!.push(alert.startedAt)
          if (!scopesOf.has(best[0])) scopesOf.set(best[0], [])
          scopesOf.get(best[0])!.push(alert.scope === 'topic' ? `topic “${alert.topic}”` : alert.scope)
        } else {
          falseAlerts.push({
            alert,
            why: `${inWindow.length} reports in window, ${Math.round(share * 100)}% from an injected surge`,
          })
        }
      },
    })
    const reports = rows.filter((r) => !r.deployRelease).length
    return {
      injected: injected.map((s, k) => {
        const times = attributed.get(k) ?? []
        // How the engine grouped this surge's reports (a surge split over many clusters is harder to see).
        const byCluster = new Map<string, number>()
        rows.forEach(
          (r, i) => r.tag === k && byCluster.set(clusterOf[i] ?? '', (byCluster.get(clusterOf[i] ?? '') ?? 0) + 1),
        )
        const top = Math.max(0, ...byCluster.values())
        return {
          ...s,
          delayMs: times.length ? Math.min(...times) - s.onset : null,
          alerts: times.length,
          clusters: byCluster.size,
          topShare: top / Math.max(1, s.reports),
          scopes: scopesOf.get(k) ?? [],
        }
      }),
      falseAlerts,
      genericAlerts,
      alerts: alerts.length,
      reports,
      msPerReport: (performance.now() - started) / reports,
    }
  } finally {
    h.close()
  }
}

const fmtDelay = (ms: number | null) => (ms === null ? 'missed' : `${(ms / MIN).toFixed(1)} min`)

if (!values['skip-replay']) {
  const en = readLabelled(join(values.data, 'clinc150/test.csv'))
  const zh = readLabelled(join(values.data, 'smp_ecdt/train.csv'))
  const settings = values.settings ? (JSON.parse(values.settings) as Record<string, unknown>) : undefined
  const weeks = Number(values.weeks)
  const all: WeekResult[] = []
  for (let w = 0; w < weeks; w++) {
    const seed = Number(values.seed) + w
    const r = await runWeek(seed, en, zh, settings)
    all.push(r)
    console.log(
      `\nweek ${w + 1} (seed ${seed}): ${r.reports} reports, ${r.alerts} alerts, ${r.msPerReport.toFixed(2)} ms per report (intake + clustering + detection + commit)`,
    )
    console.log(
      '| injected surge | kind | reports | clusters they went to (largest share) | first alert after onset | alerts about it (scopes) |',
    )
    console.log('|---|---|---|---|---|---|')
    for (const s of r.injected)
      console.log(
        `| ${s.name} (${s.label}) | ${s.kind} | ${s.reports} | ${s.clusters} (${Math.round(s.topShare * 100)}%) | ${fmtDelay(s.delayMs)} | ${s.alerts} (${s.scopes.join(', ')}) |`,
      )
    console.log(`false alerts: ${r.falseAlerts.length}`)
    for (const f of r.falseAlerts)
      console.log(
        `  - ${new Date(f.alert.startedAt).toISOString()} ${f.alert.scope} ${f.alert.topic ?? f.alert.clusterId ?? ''} reports=${f.alert.reports} reporters=${f.alert.reporters} expected=${f.alert.expected.toFixed(2)} (${f.why})`,
      )
  }
  const every = all.flatMap((r) => r.injected)
  const line = (label: string, list: typeof every) => {
    const caught = list.map((s) => s.delayMs).filter((d): d is number => d !== null)
    console.log(
      `  ${label}: ${caught.length}/${list.length} alerted; within 5 min: ${caught.filter((d) => d <= 5 * MIN).length}/${list.length}; worst delay ${fmtDelay(caught.length < list.length ? null : Math.max(...caught))}`,
    )
  }
  console.log(`\nsummary over ${weeks} simulated week(s):`)
  line('every injected surge', every)
  for (const name of [...new Set(every.map((s) => s.name))])
    line(
      `  ${name}`,
      every.filter((s) => s.name === name),
    )
  console.log(
    `  alerts on a generic word alone: ${all.reduce((n, r) => n + r.genericAlerts.length, 0)}${all
      .flatMap((r) => r.genericAlerts)
      .map((a) => ` “${a.topic}”`)
      .join('')}`,
  )
  console.log(
    `  false alerts: ${all.reduce((n, r) => n + r.falseAlerts.length, 0)} in ${weeks} week(s) = ${(all.reduce((n, r) => n + r.falseAlerts.length, 0) / weeks).toFixed(2)} per week`,
  )
  console.log(`  ms per report: ${(all.reduce((n, r) => n + r.msPerReport, 0) / weeks).toFixed(2)}`)
}

// ---- crossing report → webhook request on the real Node server ------------------------------------
if (!values['skip-node']) {
  const trials = Number(values['node-trials'])
  const arrivals: number[] = []
  const waiters: ((at: number) => void)[] = []
  const receiver = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const at = performance.now()
      arrivals.push(at)
      res.writeHead(200).end('ok')
      waiters.shift()?.(at)
    })
  })
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok))
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  const dir = mkdtempSync(join(tmpdir(), 'earshot-surge-node-'))
  const server = await startNodeServer({
    databaseUrl: `file:${join(dir, 'bench.db')}`,
    port: 0,
    env: {
      EARSHOT_ENV: 'development',
      // One address sends every report here: lift the abuse limits, which are not what is measured.
      EARSHOT_RATE_LIMIT_REPORTS_PER_MINUTE: '1000000',
      EARSHOT_RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000',
      EARSHOT_RATE_LIMIT_REPEATS_PER_10_MIN: '1000000',
    },
    log: () => {},
  })
  await createWebhook(server.deps, { projectId: server.seed.projectId, url: hookUrl, kind: 'slack', events: ['surge'] })
  // Distinct problems, one per trial, sharing no words (so each is its own cluster and words).
  const problems = [
    'Fonts look different',
    'Pricing vanished',
    'Checkout button dead',
    'Avatar upload fails',
    'Search returns nothing',
    'Invoice PDF blank',
    'Password reset missing',
    'Dark mode disabled',
    'Map tiles broken',
    'Notifications delayed',
    'Calendar timezone wrong',
    'Cart empties itself',
    'Video stutters',
    'Spreadsheet export crashes',
    'Google login loops',
    'Profile refuses saving',
    'Coupons rejected',
    'Images blurry',
    'Chat bubble overlaps menu',
    'Shipping estimate zero',
    'Keyboard shortcuts ignored',
    'Sidebar covers content',
    'Audio out of sync',
    'Two factor codes invalid',
    'Scrolling jumps upward',
  ]
  // Each reporter from its own loopback address: surges count one client address as one person.
  let addressSeq = 0
  const post = (message: string, reporter: string) =>
    new Promise<void>((ok, fail) => {
      const body = JSON.stringify({ message, reporter_id: reporter })
      const from = `127.0.${Math.floor(addressSeq / 250)}.${(addressSeq++ % 250) + 2}`
      const req = httpRequest(
        `${server.url}/v1/reports`,
        {
          method: 'POST',
          localAddress: from,
          agent: false,
          headers: { 'content-type': 'application/json', 'x-earshot-key': server.seed.publicKey },
        },
        (res) => {
          res.resume()
          res.on('end', () => (res.statusCode === 202 ? ok() : fail(new Error(`report answered ${res.statusCode}`))))
        },
      )
      req.on('error', fail)
      req.end(body)
    })
  const latencies: number[] = []
  let early = 0
  let missing = 0
  const minReports = DEFAULT_SURGE_SETTINGS.cluster.minReports
  try {
    for (let i = 0; i < Math.min(trials, problems.length); i++) {
      const before = arrivals.length
      for (let k = 0; k < minReports - 1; k++) await post(problems[i]!, `node-${i}-${k}`)
      await new Promise((r) => setTimeout(r, 50))
      if (arrivals.length > before) {
        early++ // alerted before the planned crossing report (e.g. another scope was faster)
        continue
      }
      const arrived = new Promise<number | null>((ok) => {
        waiters.push(ok)
        setTimeout(() => ok(null), 10_000).unref()
      })
      const sent = performance.now()
      await post(problems[i]!, `node-${i}-last`)
      const at = await arrived
      if (at === null) {
        missing++
        waiters.length = 0
      } else latencies.push(at - sent)
    }
  } finally {
    await server.close()
    receiver.close()
    rmSync(dir, { recursive: true, force: true })
  }
  latencies.sort((a, b) => a - b)
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!
  console.log(
    `\ncrossing report → webhook request on the Node server (${latencies.length} surges, real HTTP both ways):`,
  )
  if (latencies.length)
    console.log(
      `  median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms (target ≤ 5000 ms)`,
    )
  console.log(
    `  webhook requests received: ${arrivals.length}; trials alerted before the planned report: ${early}; no webhook within 10 s: ${missing}`,
  )
}
