import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { reports } from '../../worker/db/schema/index.js'
import { allRows, firstRow, flatten, runStatement } from '../../worker/db/raw-sql.js'
import { createTestApp, type TestApp } from '../support/db.js'

describe('raw SQL straight to the libSQL client', () => {
  let t: TestApp | undefined
  afterEach(() => t?.close())

  it('flattens text, values, nested fragments and joins into ? placeholders', () => {
    const names = ['a', 'b']
    const q = sql`SELECT ${1} AS one WHERE x IN (${sql.join(names.map((n) => sql`${n}`), sql`, `)}) AND y IS ${null} AND z = ${sql`${2}`}`
    expect(flatten(q)).toEqual({ sql: 'SELECT ? AS one WHERE x IN (?, ?) AND y IS ? AND z = ?', args: [1, 'a', 'b', null, 2] })
    // A table or column reference is left to drizzle, which knows how to quote it.
    expect(flatten(sql`SELECT count(*) FROM ${reports}`)).toBeUndefined()
  })

  it('reads and writes on the ORM, inside a write transaction, and falls back to drizzle for what it cannot flatten', async () => {
    t = await createTestApp()
    const db = t.db
    await runStatement(db.orm, sql`CREATE TABLE raw_t (id INTEGER PRIMARY KEY, label TEXT)`)
    const inserted = await db.write((tx) => runStatement(tx, sql`INSERT INTO raw_t (label) VALUES (${'x'}), (${'y'})`))
    expect(inserted.rowsAffected).toBe(2)
    expect(await allRows<{ label: string }>(db.orm, sql`SELECT label FROM raw_t ORDER BY id`)).toEqual([
      expect.objectContaining({ label: 'x' }),
      expect.objectContaining({ label: 'y' }),
    ])
    // Inside the transaction, a failing statement rolls back with it: nothing half-stored.
    await expect(
      db.write(async (tx) => {
        await runStatement(tx, sql`INSERT INTO raw_t (label) VALUES (${'z'})`)
        await runStatement(tx, sql`INSERT INTO raw_t (id, label) VALUES (${1}, ${'dup'})`)
      }),
    ).rejects.toThrow(/UNIQUE|PRIMARY KEY|constraint/i)
    expect((await firstRow<{ n: number }>(db.orm, sql`SELECT count(*) AS n FROM raw_t`))!.n).toBe(2)
    expect((await firstRow<{ n: number }>(db.orm, sql`SELECT count(*) AS n FROM ${reports}`))!.n).toBe(0)
  })
})
