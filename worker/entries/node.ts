// `npm start`: Earshot on one Node process with an embedded libSQL file (or LIBSQL_URL).
import { resolve } from 'node:path'
import { ConfigError } from '../config.js'
import { REPO_ROOT, startNodeServer } from './node-server.js'

const port = Number(process.env.PORT || 8787)
const databaseUrl = process.env.LIBSQL_URL || `file:${resolve(REPO_ROOT, 'data/earshot.db')}`

const server = await startNodeServer({
  databaseUrl,
  authToken: process.env.LIBSQL_AUTH_TOKEN,
  host: process.env.HOST || '127.0.0.1',
  port,
  demoComponents: true,
}).catch((error: unknown) => {
  // A configuration that cannot run safely (e.g. production without PUBLIC_URL): say why, exit 1.
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
})

const { seed } = server
const lines = [
  '',
  `  Earshot is running on ${server.url}  (database: ${databaseUrl.startsWith('file:') ? databaseUrl.slice(5) : databaseUrl.replace(/\/\/.*@/, '//')})`,
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
