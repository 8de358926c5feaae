// Several Node processes started at once against one libSQL server all migrate it at start-up.
// drizzle's migrator reads what is applied, then applies the rest in one transaction: the one that
// commits second used to fail ("table … already exists") and that process exited.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createDatabase } from '../../worker/db/client.js'
import { MIGRATIONS_FOLDER, migrateDatabase } from '../../worker/db/migrate.js'
import { startSqld, type Sqld } from '../support/sqld.js'

let sqld: Sqld
beforeAll(async () => {
  sqld = await startSqld()
})
afterAll(() => sqld?.close())

it('lets three start-ups migrate one fresh database at once, applying every migration once', async () => {
  const dbs = [1, 2, 3].map(() => createDatabase(sqld.client()))
  try {
    await Promise.all(dbs.map((db) => migrateDatabase(db)))
  } finally {
    for (const db of dbs) db.close()
  }
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
    entries: { when: number }[]
  }
  const applied = await sqld.query('SELECT created_at FROM __drizzle_migrations ORDER BY created_at')
  expect(applied.map((r) => Number(r.created_at))).toEqual(journal.entries.map((e) => e.when))
  expect(await sqld.query("SELECT name FROM sqlite_master WHERE name = 'reports'")).toHaveLength(1)
})
