// `npm run db:migrate`: applies the committed migrations (worker/db/migrations) to a database
// the app does not migrate itself — Turso behind the Workers entry, or any libSQL server.
//   LIBSQL_URL=libsql://… LIBSQL_AUTH_TOKEN=… npm run db:migrate   (or in .env)
// TURSO_DATABASE_URL / TURSO_AUTH_TOKEN work too (LIBSQL_* wins when both are set), as does a `file:` URL.
// With EARSHOT_ADMIN_EMAIL set it also creates the first workspace, project and owner when they do
// not exist yet (EARSHOT_ADMIN_PASSWORD, EARSHOT_PROJECT_NAME, EARSHOT_PROJECT_SLUG,
// EARSHOT_ALLOWED_ORIGINS=comma,separated), and prints the project's public key.
import { createDatabase, type Database } from '../worker/db/client.js'
import { openNodeClient } from '../worker/db/node-client.js'
import { appliedMigrations, migrateDatabase } from '../worker/db/migrate.js'
import { createDeps } from '../worker/app.js'
import { systemClock } from '../worker/clock.js'
import { databaseFromEnv, loadConfig } from '../worker/config.js'
import { loadEnvFile } from '../worker/entries/env-file.js'
import { ensureProjectWithOwner } from '../worker/domain/projects/first-project.js'

loadEnvFile()
const { url, authToken } = databaseFromEnv(process.env)

if (!url) {
  console.error(
    'db:migrate needs the database URL in LIBSQL_URL (or TURSO_DATABASE_URL), e.g.\n' +
      '  LIBSQL_URL=libsql://earshot-you.turso.io LIBSQL_AUTH_TOKEN=$(turso db tokens create earshot) ' +
      'npm run db:migrate',
  )
  process.exit(2)
}

/** Where we are migrating, without anything secret that might sit in the URL. */
function describe(raw: string): string {
  try {
    const u = new URL(raw)
    return u.protocol === 'file:' ? raw : `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`
  } catch {
    return '(unparseable URL)'
  }
}

// An embedded file is refused while another process (the server) writes it: see worker/db/file-lock.ts.
let db: Database | undefined
try {
  db = createDatabase(await openNodeClient(url, authToken))
  const before = await appliedMigrations(db)
  await migrateDatabase(db)
  const after = await appliedMigrations(db)
  console.log(`${describe(url)}: applied ${after - before} migration(s); ${after} in total.`)
  if (process.env.EARSHOT_ADMIN_EMAIL) {
    const deps = createDeps({ db, clock: systemClock, config: loadConfig(process.env) })
    const seed = await ensureProjectWithOwner(deps, {
      slug: process.env.EARSHOT_PROJECT_SLUG || 'app',
      projectName: process.env.EARSHOT_PROJECT_NAME || 'My product',
      workspaceName: process.env.EARSHOT_WORKSPACE_NAME || 'My team',
      origins: (process.env.EARSHOT_ALLOWED_ORIGINS || '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      adminEmail: process.env.EARSHOT_ADMIN_EMAIL,
      adminPassword: process.env.EARSHOT_ADMIN_PASSWORD,
    })
    console.log(
      seed.created
        ? `Created the project (public key ${seed.publicKey}) and its owner ${seed.adminEmail}` +
            (seed.generatedPassword ? ` with password ${seed.generatedPassword} (shown once).` : '.')
        : `The project already exists (public key ${seed.publicKey}); nothing created.`,
    )
  }
} catch (error) {
  console.error(`db:migrate failed on ${describe(url)}: ${(error as Error)?.message ?? error}`)
  process.exitCode = 1
} finally {
  db?.close()
}
