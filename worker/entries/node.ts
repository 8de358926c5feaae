// `npm start`: Earshot on one Node process with an embedded libSQL file (or LIBSQL_URL).
// Settings come from the environment and, for what it does not set, from `.env` (see .env.example).
import { resolve } from 'node:path'
import { databaseFromEnv } from '../config.js'
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
})

const { seed } = server
const lines = [
  '',
  `  Earshot is running on ${server.url}  (database: ${databaseUrl.startsWith('file:') ? databaseUrl.slice(5) : databaseUrl.replace(/\/\/.*@/, '//')})` +
    (envFile ? `  (settings from ${envFile} too)` : ''),
  '',
  `  Demo product page   http://localhost:${server.port}/`,
  `  Dashboard           http://localhost:${server.port}/dashboard/`,
  `  Status page         http://localhost:${server.port}/status/demo`,
  `  Widget script       http://localhost:${server.port}/widget.js`,
  `  Public key (demo)   ${seed.publicKey}`,
  '',
  `  Sign in as ${seed.adminEmail}` +
    (seed.generatedPassword
      ? ` with password ${seed.generatedPassword}  (shown once; set EARSHOT_ADMIN_PASSWORD to choose it)`
      : seed.created
        ? ' with the password from EARSHOT_ADMIN_PASSWORD'
        : ' (password as set when the database was created)'),
  '',
]
console.log(lines.join('\n'))

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().finally(() => process.exit(0))
  })
}
