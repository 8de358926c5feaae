import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, createDeps } from '../worker/app.js'
import { systemClock } from '../worker/clock.js'
import { loadConfig } from '../worker/config.js'
import { createDatabase } from '../worker/db/client.js'
import { openNodeClient } from '../worker/db/node-client.js'
import { openApiDocument } from '../worker/http/openapi.js'

/**
 * The app's OpenAPI document without a running server: the app over an empty temporary libSQL
 * file (nothing is queried — the description comes from the routes), servers left out.
 */
export async function buildOpenApiDocument() {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-openapi-'))
  const db = createDatabase(await openNodeClient(`file:${join(dir, 'doc.db')}`))
  try {
    const deps = createDeps({ db, clock: systemClock, config: loadConfig({ EARSHOT_ENV: 'test' }), log: () => {} })
    return await openApiDocument(createApp(deps), { publicUrl: '' })
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
