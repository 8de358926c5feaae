// The Node entry on a libSQL server, as `npm start` runs it with LIBSQL_URL=http://… and
// LIBSQL_AUTH_TOKEN: real processes against sqld (what Turso runs). Two of them share it, as
// several Node processes behind one load balancer would — started at the same moment, so both
// migrate and seed the fresh database at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNodeProcess, type NodeProcess } from '../support/node-process.js'
import { startSqld, type Sqld } from '../support/sqld.js'

const ADMIN_EMAIL = 'admin@example.com'
const ADMIN_PASSWORD = 'node-on-sqld password'

let sqld: Sqld
let a: NodeProcess
let b: NodeProcess

beforeAll(async () => {
  sqld = await startSqld()
  const env = {
    LIBSQL_URL: sqld.url,
    LIBSQL_AUTH_TOKEN: sqld.authToken,
    EARSHOT_ADMIN_EMAIL: ADMIN_EMAIL,
    EARSHOT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // Every request here comes from one address: lift the per-address abuse limits.
    EARSHOT_RATE_LIMIT_REPORTS_PER_MINUTE: '100000',
    EARSHOT_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000',
    EARSHOT_RATE_LIMIT_REPEATS_PER_10_MIN: '100000',
  }
  ;[a, b] = await Promise.all([startNodeProcess(env), startNodeProcess(env)])
}, 120_000)

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  await sqld?.close()
})

const post = (to: NodeProcess, body: unknown, idempotencyKey: string) =>
  fetch(`${to.url}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-earshot-key': to.key, 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  })

/** Like the widget: an answer that is not a 2xx (or no answer) is retried with the same key. */
async function deliver(
  to: NodeProcess,
  message: string,
  idempotencyKey: string,
): Promise<{ id: string; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    const res = await post(to, { message }, idempotencyKey).catch(() => undefined)
    if (res?.status === 202) return { id: ((await res.json()) as { id: string }).id, attempts: attempt }
    if (res && res.status < 500) throw new Error(`unexpected ${res.status}: ${await res.text()}`)
    if (attempt === 20) throw new Error(`no 202 after 20 attempts (last: ${res?.status ?? 'no answer'})`)
    await new Promise((ok) => setTimeout(ok, 100 * attempt))
  }
}

async function signIn(to: NodeProcess): Promise<string> {
  const res = await fetch(`${to.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  })
  expect(res.status).toBe(200)
  return res.headers.get('set-cookie')!.split(';')[0]!
}

describe('Node entry with LIBSQL_URL=http://… (sqld)', () => {
  it('both processes came up on the one database: one demo project, one key', async () => {
    expect(a.key).toBe(b.key)
    expect(await sqld.query("SELECT count(*) AS n FROM projects WHERE slug = 'demo'")).toEqual([{ n: 1 }])
    expect(a.output()).toContain(`(database: ${sqld.url})`)
    expect(a.output() + b.output()).not.toMatch(/unexpected error|Error:/)
  })

  it('stores a report in the server, answers a retry with the same id, and the other process finds it', async () => {
    const first = await post(a, { message: 'Invoice PDF download spins forever' }, 'sqld-roundtrip-1')
    expect(first.status).toBe(202)
    const { id } = (await first.json()) as { id: string }
    expect(await sqld.query('SELECT message FROM reports WHERE id = ?', [id])).toEqual([
      { message: 'Invoice PDF download spins forever' },
    ])

    for (const to of [a, b]) {
      const again = await post(to, { message: 'Invoice PDF download spins forever' }, 'sqld-roundtrip-1')
      expect(again.status).toBe(202)
      expect(((await again.json()) as { id: string }).id).toBe(id)
    }
    expect(await sqld.query("SELECT count(*) AS n FROM reports WHERE idempotency_key = 'sqld-roundtrip-1'")).toEqual([
      { n: 1 },
    ])

    // Through the other process's dashboard API: search reads what process a wrote.
    const cookie = await signIn(b)
    await expect
      .poll(async () => {
        const res = await fetch(`${b.url}/api/reports/search?q=${encodeURIComponent('invoice download')}`, {
          headers: { cookie },
        })
        return ((await res.json()) as { reports: { id: string }[] }).reports.map((r) => r.id)
      })
      .toEqual([id])
  })

  it('two processes accept reports at once: every acknowledged report is stored exactly once', async () => {
    const topics = [
      'Checkout button does nothing',
      'Fonts look different on the pricing page',
      'Login loops back to the start',
    ]
    // 24 reports split over both processes, plus 6 keys sent to both at the same moment (a
    // widget retrying through the load balancer while its first request is still in flight).
    const jobs = [
      ...Array.from({ length: 24 }, (_, i) => ({
        to: i % 2 ? b : a,
        key: `sqld-shared-${i}`,
        message: `${topics[i % 3]} (#${i})`,
      })),
      ...Array.from({ length: 6 }, (_, i) =>
        [a, b].map((to) => ({ to, key: `sqld-both-${i}`, message: `${topics[i % 3]} (both ${i})` })),
      ).flat(),
    ]
    const answers = await Promise.all(
      jobs.map(async (job) => ({ ...job, ...(await deliver(job.to, job.message, job.key)) })),
    )

    const acknowledged = new Map<string, string>()
    for (const { key, id } of answers) {
      expect(acknowledged.get(key) ?? id).toBe(id) // both processes name the same report
      acknowledged.set(key, id)
    }
    const stored = await sqld.query(
      'SELECT idempotency_key, id FROM reports ' +
        "WHERE idempotency_key LIKE 'sqld-shared-%' OR idempotency_key LIKE 'sqld-both-%'",
    )
    expect(new Map(stored.map((r) => [String(r.idempotency_key), String(r.id)]))).toEqual(acknowledged)
    expect(stored).toHaveLength(30) // no key twice

    // Cluster counters agree with a recount, whichever process wrote which report.
    const [counts] = await sqld.query(
      'SELECT (SELECT count(*) FROM reports WHERE cluster_id IS NOT NULL) AS clustered, ' +
        '(SELECT coalesce(sum(report_count), 0) FROM clusters) AS counted',
    )
    expect(Number(counts!.counted)).toBe(Number(counts!.clustered))
    expect((await sqld.query('PRAGMA integrity_check'))[0]).toEqual({ integrity_check: 'ok' })
    expect(a.output() + b.output()).not.toMatch(/unexpected error/)
  }, 120_000)
})
