import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, createDeps } from '../../worker/app.js'
import { manualClock } from '../../worker/clock.js'
import { loadConfig, type Config } from '../../worker/config.js'
import { createDatabase } from '../../worker/db/client.js'
import { openNodeClient } from '../../worker/db/node-client.js'
import { migrateDatabase } from '../../worker/db/migrate.js'
import { ensureDemoWorkspace } from '../../worker/demo/seed.js'
import { nodeWebhookFetch } from '../../worker/domain/notifications/node-fetch.js'
import type { TxtLookup } from '../../worker/domain/status/dns-txt.js'
import { directoryAttachmentStore } from '../../worker/entries/node-attachments.js'

export const ADMIN_EMAIL = 'admin@example.com'
export const ADMIN_PASSWORD = 'correct horse battery staple'

/**
 * A real libSQL database in a fresh temp file. Not `:memory:`: the client gives an in-memory
 * database a single connection, which an open write transaction would hold.
 */
export function tempDatabaseUrl(): { url: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-test-'))
  return { url: `file:${join(dir, 'test.db')}`, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** App + dependencies over a migrated, seeded temp database, for `app.request()` tests. */
export async function createTestApp(opts: { config?: Partial<Config>; origins?: string[]; lookupTxt?: TxtLookup } = {}) {
  const tmp = tempDatabaseUrl()
  const db = createDatabase(await openNodeClient(tmp.url))
  await migrateDatabase(db)
  const clock = manualClock(Date.UTC(2026, 10, 20, 9, 0, 0))
  const config = { ...loadConfig({ EARSHOT_ENV: 'test' }), ...opts.config }
  // Screenshots as on Node: files beside the database.
  const attachments = directoryAttachmentStore(join(tmp.dir, 'attachments'))
  const deps = createDeps({ db, clock, config, lookupTxt: opts.lookupTxt, attachments })
  const errors: string[] = []
  // As the Node entry: webhooks go out through the fetch that connects only to checked addresses.
  const app = createApp({ ...deps, log: (m) => errors.push(m), webhookFetch: nodeWebhookFetch(config) })
  const seed = await ensureDemoWorkspace(deps, {
    origins: opts.origins ?? ['https://shop.example.com'],
    adminEmail: ADMIN_EMAIL,
    adminPassword: ADMIN_PASSWORD,
  })
  return {
    app,
    db,
    deps,
    clock,
    seed,
    key: seed.publicKey,
    errors,
    attachmentsDir: join(tmp.dir, 'attachments'),
    close() {
      db.close()
      tmp.cleanup()
    },
  }
}
export type TestApp = Awaited<ReturnType<typeof createTestApp>>
