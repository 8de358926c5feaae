import { afterEach, describe, expect, it } from 'vitest'
import Database from 'libsql'
import { openNodeClient } from '../../worker/db/node-client.js'
import {
  assertCheckedDrivers,
  cacheEmbeddedStatements,
  CHECKED_DRIVER_VERSIONS,
  installedVersion,
} from '../../worker/db/statement-cache.js'
import { tempDatabaseUrl } from '../support/db.js'

describe('embedded client with reused prepared statements', () => {
  const tmp = tempDatabaseUrl()
  afterEach(() => tmp.cleanup())

  it('answers repeated statements with fresh bindings, errors and schema changes like the plain client', async () => {
    const client = await openNodeClient(tmp.url)
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE)')
    for (let i = 1; i <= 5; i++) {
      const r = await client.execute({ sql: 'INSERT INTO t (label) VALUES (?)', args: [`l${i}`] })
      expect(r.rowsAffected).toBe(1)
      expect(Number(r.lastInsertRowid)).toBe(i)
    }
    const select = 'SELECT id, label FROM t WHERE id >= ? ORDER BY id'
    expect((await client.execute({ sql: select, args: [4] })).rows.map((r) => r.label)).toEqual(['l4', 'l5'])
    expect((await client.execute({ sql: select, args: [2] })).rows.map((r) => r.label)).toEqual([
      'l2',
      'l3',
      'l4',
      'l5',
    ])
    // A constraint failure leaves the statement usable.
    await expect(client.execute({ sql: 'INSERT INTO t (label) VALUES (?)', args: ['l1'] })).rejects.toMatchObject({
      code: expect.stringMatching(/^SQLITE_CONSTRAINT/),
    })
    expect((await client.execute({ sql: 'INSERT INTO t (label) VALUES (?)', args: ['l6'] })).rowsAffected).toBe(1)
    // Inside a transaction the same texts run on the transaction's own connection.
    const tx = await client.transaction('write')
    await tx.execute({ sql: 'INSERT INTO t (label) VALUES (?)', args: ['l7'] })
    expect((await tx.execute({ sql: select, args: [7] })).rows.map((r) => r.label)).toEqual(['l7'])
    await tx.rollback()
    expect((await client.execute({ sql: select, args: [6] })).rows.map((r) => r.label)).toEqual(['l6'])
    // After a schema change a cached statement still sees the table as it is now.
    await client.execute('ALTER TABLE t ADD COLUMN note TEXT')
    await client.execute({ sql: 'UPDATE t SET note = ? WHERE id = ?', args: ['hi', 1] })
    expect((await client.execute({ sql: select, args: [6] })).rows.map((r) => r.label)).toEqual(['l6'])
    expect((await client.execute('SELECT note FROM t WHERE id = 1')).rows[0]!.note).toBe('hi')
    client.close()
  })

  it('passes every member it does not answer itself through to the driver’s statement', () => {
    cacheEmbeddedStatements() // what openNodeClient does for a file
    const db = new Database(':memory:')
    db.exec('CREATE TABLE p (id INTEGER PRIMARY KEY, label TEXT)')
    db.exec("INSERT INTO p (label) VALUES ('a'), ('b')")
    const first = db.prepare('SELECT label FROM p ORDER BY id')
    expect(db.prepare('SELECT label FROM p ORDER BY id')).toBe(first) // reused
    // pluck() is not one the cache answers: the statement's own, on the statement itself.
    expect(first.pluck(true).all()).toEqual(['a', 'b'])
    expect(first.pluck(false).all()).toEqual([{ label: 'a' }, { label: 'b' }])
    expect(typeof (first as unknown as { interrupt: unknown }).interrupt).toBe('function')
    expect(first.reader).toBe(true)
    expect(() => db.prepare("UPDATE p SET label = 'c'").raw(true)).toThrow(/only for statements that return data/)
    db.close()
  })

  it('refuses to run on driver versions it was not checked with, naming what to do', () => {
    expect(installedVersion('libsql')).toBe(CHECKED_DRIVER_VERSIONS.libsql)
    expect(installedVersion('@libsql/client')).toBe(CHECKED_DRIVER_VERSIONS['@libsql/client'])
    expect(() => assertCheckedDrivers()).not.toThrow()
    const upgraded = (name: string) => (name === '@libsql/client' ? '0.19.0' : installedVersion(name))
    expect(() => assertCheckedDrivers(upgraded)).toThrow(
      /@libsql\/client 0\.19\.0 is installed, but worker\/db\/statement-cache\.ts was checked against 0\.18\.0/,
    )
  })
})
