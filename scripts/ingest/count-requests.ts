// How many HTTP requests reach a libSQL server per report (intake) and per pipeline batch, counted
// at the server's door: the real Node entry (startNodeServer) over a real sqld with the counting
// proxy (test/support/counting-proxy.ts) in front. The pipeline is not automatic, so intake and
// batches are counted apart. `node --import tsx scripts/ingest/count-requests.ts`
import { startCountingProxy } from '../../test/support/counting-proxy.js'
import { startSqld } from '../../test/support/sqld.js'
import { startNodeServer } from '../../worker/entries/node-server.js'

const sqld = await startSqld()
const proxy = await startCountingProxy(sqld.url)
const server = await startNodeServer({
  databaseUrl: proxy.url,
  authToken: sqld.authToken,
  host: '127.0.0.1',
  port: 0,
  env: { EARSHOT_ENV: 'test', EARSHOT_ADMIN_EMAIL: 'admin@example.com', EARSHOT_ADMIN_PASSWORD: 'count pw 1234' },
  jobsIntervalMs: 0,
  pipeline: { auto: false },
  log: () => {},
})

const topics = ['checkout page is blank', 'invoice download spins', 'login loops back', 'search shows nothing']
let n = 0
async function post(): Promise<void> {
  const i = n++
  const res = await fetch(`${server.url}/v1/reports`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-earshot-key': server.seed.publicKey,
      origin: server.url,
      'idempotency-key': `count-report-${i}`,
    },
    body: JSON.stringify({ message: `The ${topics[i % topics.length]} (report ${i})` }),
  })
  if (res.status !== 202) throw new Error(`report ${i}: ${res.status} ${await res.text()}`)
}

async function counted(run: () => Promise<unknown>): Promise<number> {
  await proxy.quiet(100)
  const from = proxy.requests.length
  await run()
  return proxy.requests.length - from
}

/** The SQL a Hrana request carries, shortened. */
function statementsOf(body: string): string {
  const sql: string[] = []
  JSON.stringify(JSON.parse(body || '{}'), (key, value) => {
    if (key === 'sql' && typeof value === 'string') sql.push(value.replace(/\s+/g, ' ').slice(0, 60))
    return value
  })
  return sql.length ? sql.join(' | ') : body.slice(0, 80)
}

await post() // warm-up: the first report of a process also looks its key up
const rows: string[][] = []
const sequential = await counted(async () => {
  for (let i = 0; i < 32; i++) await post()
})
rows.push(['intake, one at a time (32 reports)', (sequential / 32).toFixed(2) + ' per report'])
const concurrent = await counted(async () => {
  for (let round = 0; round < 4; round++) await Promise.all(Array.from({ length: 16 }, () => post()))
})
rows.push(['intake, 16 at a time (64 reports)', (concurrent / 64).toFixed(2) + ' per report'])
await server.deps.pipeline.runBatch(1) // warm-up batch (first state loads)
for (const size of [1, 16, 64]) {
  let processed = 0
  const requests = await counted(async () => {
    processed = (await server.deps.pipeline.runBatch(size)).processed.length
  })
  rows.push([`pipeline batch of ${processed} report(s)`, `${requests} per batch`])
  // COUNT_VERBOSE=1: what each request of the batch carried.
  if (process.env.COUNT_VERBOSE)
    for (const r of proxy.requests.slice(-requests)) console.log(`  ${r.path} ${statementsOf(r.body)}`)
}
for (const [what, figure] of rows) console.log(`${what.padEnd(40)} ${figure}`)
await server.close()
await proxy.close()
await sqld.close()
