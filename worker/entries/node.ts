// `npm start`: Earshot on one Node process with an embedded libSQL file (or LIBSQL_URL).
// Settings come from the environment and, for what it does not set, from `.env` (see .env.example).
import { resolve } from 'node:path'
import { ConfigError, databaseFromEnv } from '../config.js'
import { DatabaseFileLockedError } from '../db/file-lock.js'
import { startupBanner } from './banner.js'
import { loadEnvFile } from './env-file.js'
import { REPO_ROOT, startNodeServer } from './node-server.js'

const envFile = loadEnvFile()
const port = Number(process.env.PORT || 8787)
const database = databaseFromEnv(process.env)
const databaseUrl = database.url || `file:${resolve(REPO_ROOT, 'data/earshot.db')}`

const server = await startNodeServer({
  databaseUrl,
  authToken: database.authToken,
  host: process.env.HOST || '127.0.0.1',
  port,
  demoComponents: true,
}).catch((error: unknown) => {
  // A configuration that cannot run safely (e.g. production without PUBLIC_URL), or a second
  // `npm start` (or a CLI) on a file another process writes: say why, no stack, exit 1.
  if (error instanceof ConfigError) {
    console.error(error.message)
    process.exit(1)
  }
  if (error instanceof DatabaseFileLockedError) {
    console.error(`\n  Earshot did not start: ${error.message}\n`)
    process.exit(1)
  }
  throw error
})

// Before the banner: whoever waits for it (a supervisor, a test) may stop us right after it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().finally(() => process.exit(0))
  })
}

console.log(
  startupBanner({
    url: server.url,
    port: server.port,
    databaseUrl,
    config: server.deps.config,
    seed: server.seed,
    attachmentsDir: server.attachmentsDir,
    envFile,
  }),
)
