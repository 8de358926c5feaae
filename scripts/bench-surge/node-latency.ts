// bench:surge's second part: on the real Node server with a real local HTTP receiver, the time from
// sending the report that crosses the threshold to the webhook request arriving.
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startNodeServer } from '../../worker/entries/node-server.js'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import { DEFAULT_SURGE_SETTINGS } from '../../worker/domain/surge/settings.js'

export async function measureNodeLatency(trials: number): Promise<void> {
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
      `  median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, ` +
        `max ${latencies[latencies.length - 1]!.toFixed(1)} ms (target ≤ 5000 ms)`,
    )
  console.log(
    `  webhook requests received: ${arrivals.length}; trials alerted before the planned report: ${early}; ` +
      `no webhook within 10 s: ${missing}`,
  )
}
