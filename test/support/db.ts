import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, createDeps } from '../../worker/app.js'
import { manualClock } from '../../worker/clock.js'
import { loadConfig, type Config } from '../../worker/config.js'
import type { PipelineOptions } from '../../worker/domain/pipeline/index.js'
import { createDatabase } from '../../worker/db/client.js'
import { openNodeClient } from '../../worker/db/node-client.js'
import { migrateDatabase } from '../../worker/db/migrate.js'
import { ensureDemoWorkspace } from '../../worker/demo/seed.js'
import { nodeWebhookFetch } from '../../worker/entries/node-fetch.js'
import type { TxtLookup } from '../../worker/domain/incidents/dns-txt.js'
import { directoryAttachmentStore } from '../../worker/entries/node-attachments.js'
import { checkAnswers } from './openapi-contract.js'

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
export async function createTestApp(
  opts: {
    config?: Partial<Config>
    origins?: string[]
    lookupTxt?: TxtLookup
    pipeline?: Partial<PipelineOptions>
  } = {},
) {
  const tmp = tempDatabaseUrl()
  const db = createDatabase(await openNodeClient(tmp.url))
  await migrateDatabase(db)
  const clock = manualClock(Date.UTC(2026, 10, 20, 9, 0, 0))
  const config = { ...loadConfig({ EARSHOT_ENV: 'test' }), ...opts.config }
  // Screenshots as on Node: files beside the database.
  const attachments = directoryAttachmentStore(join(tmp.dir, 'attachments'))
  const errors: string[] = []
  // The pipeline does not run on its own here: tests wait for it deterministically with
  // `await deps.pipeline.drain()` (or the helpers that do). As the Node entry: webhooks go out
  // through the fetch that connects only to checked addresses.
  const deps = createDeps({
    db,
    clock,
    config,
    lookupTxt: opts.lookupTxt,
    log: (m) => errors.push(m),
    webhookFetch: nodeWebhookFetch(config),
    pipeline: { exclusive: true, ...opts.pipeline },
    attachments,
  })
  const app = createApp(deps)
  // Every answer a test gets through app.request() must be what /openapi.json says (support/openapi-contract.ts).
  await checkAnswers(app)
  const seed = await ensureDemoWorkspace(deps, {
    origins: opts.origins ?? ['https://shop.example.com'],
    adminEmail: ADMIN_EMAIL,
    adminPassword: ADMIN_PASSWORD,
  })
  return {
    app,
    db,
    deps,
    /** The database file's libSQL URL (a second connection can open it, as another process would). */
    url: tmp.url,
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
