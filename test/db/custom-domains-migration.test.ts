// Migration 0012 moves a custom domain kept in projects.settings (before verification existed)
// into custom_domains as a pending claim: it stops being served until verified, and the settings
// keep everything else.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDatabase } from '../../worker/db/client.js'
import { MIGRATIONS_FOLDER, migrateDatabase } from '../../worker/db/migrate.js'
import { openNodeClient } from '../../worker/db/node-client.js'
import { tempDatabaseUrl } from '../support/db.js'

describe('migration 0012_custom_domains', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => cleanups.splice(0).forEach((f) => f()))

  it('turns settings.custom_domain into a pending claim and removes the key', async () => {
    // The migrations as they were before 0012.
    const before = mkdtempSync(join(tmpdir(), 'earshot-migrations-'))
    cleanups.push(() => rmSync(before, { recursive: true, force: true }))
    cpSync(MIGRATIONS_FOLDER, before, { recursive: true })
    const journalPath = join(before, 'meta/_journal.json')
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'))
    const index = journal.entries.findIndex((e: { tag: string }) => e.tag === '0012_custom_domains')
    expect(index).toBeGreaterThan(0)
    journal.entries = journal.entries.slice(0, index)
    writeFileSync(journalPath, JSON.stringify(journal))

    const tmp = tempDatabaseUrl()
    cleanups.push(tmp.cleanup)
    const db = createDatabase(await openNodeClient(tmp.url))
    cleanups.push(() => db.close())
    await migrateDatabase(db, before)
    await db.client.execute("INSERT INTO workspaces (id, name, created_at) VALUES ('ws_1', 'W', 1)")
    const insert = (id: string, slug: string, settings: string) =>
      db.client.execute({
        sql:
          'INSERT INTO projects (id, workspace_id, name, slug, public_key, allowed_origins, color, settings, ' +
          "created_at) VALUES (?, 'ws_1', ?, ?, ?, '[]', '#000000', ?, 1)",
        args: [id, slug, slug, `pk_${id}`, settings],
      })
    await insert('prj_a', 'a', JSON.stringify({ custom_domain: ' Status.Old.example ', retention_days: 30 }))
    await insert('prj_b', 'b', JSON.stringify({ surge: { enabled: false } }))
    await insert('prj_c', 'c', JSON.stringify({ custom_domain: 42 }))

    await migrateDatabase(db)
    const claims = (await db.client.execute('SELECT project_id, domain, token, verified_at FROM custom_domains')).rows
    expect(claims).toHaveLength(1)
    expect(claims[0]).toMatchObject({ project_id: 'prj_a', domain: 'status.old.example', verified_at: null })
    expect(String(claims[0]!.token)).toMatch(/^[0-9a-f]{32}$/)
    const settings = Object.fromEntries(
      (await db.client.execute('SELECT id, settings FROM projects ORDER BY id')).rows.map((r) => [
        r.id,
        JSON.parse(String(r.settings)),
      ]),
    )
    expect(settings).toEqual({ prj_a: { retention_days: 30 }, prj_b: { surge: { enabled: false } }, prj_c: {} })
  })
})
