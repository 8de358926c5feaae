import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/libsql'
import { LibSQLSession } from 'drizzle-orm/libsql/session'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { reports } from '../../worker/db/schema/index.js'
import { allRows, firstRow, flatten, queryRows, runStatement, runStatements } from '../../worker/db/raw-sql.js'
import { createTestApp, type TestApp } from '../support/db.js'

describe('raw SQL straight to the libSQL client', () => {
  let t: TestApp | undefined
  afterEach(() => t?.close())

  it('flattens text, values, nested fragments and joins into ? placeholders', () => {
    const names = ['a', 'b']
    const q = sql`SELECT ${1} AS one WHERE x IN (${sql.join(
      names.map((n) => sql`${n}`),
      sql`, `,
    )}) AND y IS ${null} AND z = ${sql`${2}`}`
    expect(flatten(q)).toEqual({
      sql: 'SELECT ? AS one WHERE x IN (?, ?) AND y IS ? AND z = ?',
      args: [1, 'a', 'b', null, 2],
    })
    // A table or column reference is left to drizzle, which knows how to quote it.
    expect(flatten(sql`SELECT count(*) FROM ${reports}`)).toBeUndefined()
  })

  it('reads and writes on the ORM and in a write transaction; drizzle does what it cannot flatten', async () => {
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

  it('takes the fast path (no drizzle query building) on the ORM and in a transaction, on its own handle', async () => {
    t = await createTestApp()
    const db = t.db
    await runStatement(db.orm, sql`CREATE TABLE fast_t (id INTEGER PRIMARY KEY, label TEXT)`)
    // drizzle prepares every query it runs through its session; the fast path never asks it to.
    const prepared = vi.spyOn(LibSQLSession.prototype, 'prepareQuery')
    try {
      await db.write(async (tx) => {
        await runStatement(tx, sql`INSERT INTO fast_t (label) VALUES (${'in-tx'})`)
        // Inside the transaction its own statements are visible; on the main connection not yet.
        expect(await allRows<{ label: string }>(tx, sql`SELECT label FROM fast_t`)).toEqual([
          expect.objectContaining({ label: 'in-tx' }),
        ])
        expect(await runStatements(tx, [{ sql: 'SELECT count(*) AS n FROM fast_t', args: [] }])).toHaveLength(1)
      })
      expect(await firstRow<{ n: number }>(db.orm, sql`SELECT count(*) AS n FROM fast_t`)).toMatchObject({ n: 1 })
      expect(prepared).not.toHaveBeenCalled()
      // What cannot be flattened goes through drizzle on the same handle (and the spy sees it).
      await firstRow(db.orm, sql`SELECT count(*) AS n FROM ${reports}`)
      expect(prepared).toHaveBeenCalled()
    } finally {
      prepared.mockRestore()
    }
  })

  it('refuses a drizzle handle it did not make instead of running on another connection', async () => {
    t = await createTestApp()
    const foreign = drizzle(t.db.client)
    await expect(queryRows(foreign as never, { sql: 'SELECT 1', args: [] })).rejects.toThrow(/made by db\/client\.ts/)
    await expect(runStatement(foreign as never, sql`SELECT ${1}`)).rejects.toThrow(/made by db\/client\.ts/)
  })
})
