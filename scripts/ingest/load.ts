// The load of `npm run bench:ingest`: autocannon from the benchmark process over loopback, a
// different realistic report each request (16 message variants in 4 languages, reporter ids,
// context with errors/network failures) and a unique idempotency key that names the run and level.
import { cpuMsOf } from './servers.js'

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

export function reportBody(i: number): string {
  const message = `${MESSAGES[i % MESSAGES.length]}${i % 7 === 0 ? ` (order ${1000 + (i % 500)})` : ''}`
  const error = {
    message: `TypeError: Cannot read properties of undefined (reading 'total')`,
    at: '2026-11-26T20:00:00Z',
  }
  const failure = { method: 'POST', url: 'https://shop.example.com/api/checkout', status: 502 }
  return JSON.stringify({
    message,
    reporter_id: `anon_${i % 997}`,
    page_url: `https://shop.example.com/orders/${i % 300}?tab=items`,
    release: 'web@2026.11.3',
    locale: i % 3 === 0 ? 'zh-CN' : 'en-US',
    context: {
      timezone: 'Europe/Berlin',
      viewport: '1280x800',
      errors: i % 4 === 0 ? [error] : [],
      network: i % 5 === 0 ? [failure] : [],
    },
  })
}

export interface LevelResult {
  connections: number
  /** Server CPU (user + system, every server process) per 2xx answer: what the work costs. */
  cpuMsPerReport: number
  /** sqld's CPU per 2xx answer, when the run is on sqld. */
  sqldCpuMsPerReport?: number
  rps: number
  p50: number
  p99: number
  ok: number
  non2xx: number
  errors: number
  /** 202 → clustered, ms (p50, p99 over the level's reports), and load end → nothing waiting. */
  lag?: { p50: number; p99: number; max: number; settleMs: number }
  /** Intake-only runs: the pipeline run over the level's reports after the load. */
  drain?: { processed: number; ms: number; cpuMsPerReport: number }
}

/** The idempotency keys of one level: `bench-<tag>-<connections>-<n>` (lagOf selects by prefix). */
export const keyPrefix = (tag: string, connections: number) => `bench-${tag}-${connections}-`

/**
 * Drives POST /v1/reports on every url at once (autocannon spreads the connections round-robin over
 * them, one latency histogram for all) for `seconds`.
 */
export async function drive(opts: {
  urls: string[]
  headers: Record<string, string>
  connections: number
  tag: string
  /** Server processes whose CPU is counted. */
  pids: number[]
  sqldPid?: number
  seconds: number
}): Promise<LevelResult> {
  const cpu = () => opts.pids.reduce((s, pid) => s + cpuMsOf(pid), 0)
  const cpuBefore = cpu()
  const sqldBefore = opts.sqldPid ? cpuMsOf(opts.sqldPid) : 0
  // autocannon ships no types; a non-literal specifier keeps tsc from asking for them.
  const autocannonModule = 'autocannon'
  const { default: autocannon } = (await import(autocannonModule)) as { default: (opts: object) => Promise<any> }
  let i = 0
  const prefix = keyPrefix(opts.tag, opts.connections)
  const result = await autocannon({
    url: opts.urls.length === 1 ? opts.urls[0] : opts.urls,
    connections: opts.connections,
    duration: opts.seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/reports',
        setupRequest: (req: any) => {
          const n = i++
          return {
            ...req,
            headers: { ...opts.headers, 'content-type': 'application/json', 'idempotency-key': `${prefix}${n}` },
            body: reportBody(n),
          }
        },
      },
    ],
  })
  const perReport = (ms: number) => Number((ms / Math.max(1, result['2xx'])).toFixed(2))
  return {
    connections: opts.connections,
    cpuMsPerReport: perReport(cpu() - cpuBefore),
    sqldCpuMsPerReport: opts.sqldPid ? perReport(cpuMsOf(opts.sqldPid) - sqldBefore) : undefined,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}
