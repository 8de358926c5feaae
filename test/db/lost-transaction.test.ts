// Group commit against a real libSQL server (sqld): when the server takes a writer's transaction
// away (another writer waited 5 s for the lock), the connection's next statements run outside any
// transaction. A caller must still hear "stored" exactly when its write is durable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { createDatabase, inTransaction, TransactionLostError, type Database, type Tx } from '../../worker/db/client.js'
import { runStatement } from '../../worker/db/raw-sql.js'
import { WriteQueue } from '../../worker/db/write-queue.js'
import { isDatabaseOutage } from '../../worker/domain/shared/errors.js'
import { startSqld, type Sqld } from '../support/sqld.js'

let sqld: Sqld
let a: Database
let b: Database

const insert = (tx: Tx, x: number) => runStatement(tx, sql`INSERT INTO t (x) VALUES (${x})`)
const stored = async () => (await sqld.query('SELECT x FROM t ORDER BY x')).map((r) => Number(r.x))

beforeAll(async () => {
  sqld = await startSqld()
  a = createDatabase(sqld.client()) // two processes' databases: two clients, two write queues
  b = createDatabase(sqld.client())
  await a.client.execute('CREATE TABLE t (x INTEGER)')
})
afterAll(async () => {
  a?.close()
  b?.close()
  await sqld?.close()
})

describe('group commit over a libSQL server', () => {
  it('fails the whole batch whose transaction the server took away, and stores none of it', async () => {
    let first!: Promise<void>
    const settled = await Promise.allSettled([
      // Holds the write lock until the other writer got it — sqld's lock-stealing after 5 s.
      (first = a.write(async (tx) => {
        await insert(tx, 1)
        await b.write((other) => insert(other, 100))
        await insert(tx, 2)
      })),
      // Queued behind it, so in the same batch: with the old queue each ran in its own implicit
      // transaction after the steal and was stored while its caller heard it failed.
      a.write((tx) => insert(tx, 3)),
      a.write((tx) => insert(tx, 4)),
    ])
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected'])
    const error = await first.catch((e) => e)
    expect(error).toBeInstanceOf(TransactionLostError)
    // 503 + Retry-After, not 500.
    for (const s of settled) expect(isDatabaseOutage((s as PromiseRejectedResult).reason)).toBe(true)
    // Exactly what was acknowledged: only the other writer's row.
    expect(await stored()).toEqual([100])
    // And the queue goes on: the retry is stored.
    await a.write((tx) => insert(tx, 3))
    expect(await stored()).toEqual([3, 100])
  }, 30_000)

  it('commits a long batch in parts, so no transaction holds the write lock for long', async () => {
    await a.client.execute('DELETE FROM t')
    let transactions = 0
    const queue = new WriteQueue<Tx>({
      transaction: (body) =>
        inTransaction(a.client, async (tx) => {
          transactions++
          await body(tx)
        }),
      savepoint: (tx, job) => job(tx),
      maxBatchMs: 0, // every transaction is "long" after its first job
    })
    await Promise.all([1, 2, 3, 4].map((x) => queue.run((tx) => insert(tx, x))))
    expect(transactions).toBe(4)
    expect(await stored()).toEqual([1, 2, 3, 4])
  })
})
