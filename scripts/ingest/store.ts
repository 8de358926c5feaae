// What `npm run bench:ingest` reads back from the database the servers wrote: rows per idempotency
// key, clustering lag per level, how long until nothing waits, and the pipeline's exactly-once check.
import { createClient, type Client } from '@libsql/client'
import { checkPipeline, type PipelineCheck } from '../pipeline-check.js'
import { keyPrefix, type LevelResult } from './load.js'
import type { Store } from './servers.js'

/** A second connection while a server runs (WAL file, or another client of sqld). */
const open = (store: Store): Client => createClient({ url: store.url, authToken: store.authToken })

async function withClient<T>(store: Store, run: (client: Client) => Promise<T>): Promise<T> {
  const client = open(store)
  try {
    return await run(client)
  } finally {
    client.close()
  }
}

/** Stored reports, after the servers stopped; throws if an idempotency key has two rows. */
export function countRows(store: Store): Promise<number> {
  return withClient(store, async (client) => {
    const sql = 'SELECT count(*) AS n, count(DISTINCT idempotency_key) AS k FROM reports'
    const row = (await client.execute(sql)).rows[0]!
    if (Number(row.n) !== Number(row.k))
      throw new Error(`duplicate idempotency keys in ${store.url}: ${row.n} rows, ${row.k} keys`)
    return Number(row.n)
  })
}

export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

/** Reports stored but not yet through the pipeline. */
export const waiting = (store: Store) =>
  withClient(store, async (client) =>
    Number((await client.execute('SELECT count(*) AS n FROM reports WHERE processed_at IS NULL')).rows[0]!.n),
  )

/** Polls (from a second connection) until no report waits for the pipeline; ms it took. */
export async function settle(store: Store): Promise<number> {
  const started = Date.now()
  return withClient(store, async (client) => {
    for (;;) {
      const sql = 'SELECT count(*) AS n FROM reports WHERE processed_at IS NULL'
      const n = Number((await client.execute(sql)).rows[0]!.n)
      if (!n) return Date.now() - started
      if (Date.now() - started > 60_000)
        throw new Error(`${n} reports still wait for the pipeline 60 s after the load stopped`)
      await new Promise((r) => setTimeout(r, 10))
    }
  })
}

/** 202 → clustered for one level's reports (their idempotency keys carry the level). */
export function lagOf(store: Store, tag: string, connections: number, settleMs: number): Promise<LevelResult['lag']> {
  return withClient(store, async (client) => {
    const rows = (
      await client.execute({
        sql: 'SELECT processed_at - created_at AS lag FROM reports WHERE idempotency_key LIKE ?',
        args: [`${keyPrefix(tag, connections)}%`],
      })
    ).rows
    const lags = rows.map((r) => Number(r.lag)).sort((a, b) => a - b)
    return { p50: quantile(lags, 0.5), p99: quantile(lags, 0.99), max: lags.at(-1) ?? 0, settleMs }
  })
}

/** Every report processed exactly once, every counter equal to a recount (scripts/pipeline-check.ts). */
export const pipelineCheck = (store: Store): Promise<PipelineCheck> => withClient(store, checkPipeline)
