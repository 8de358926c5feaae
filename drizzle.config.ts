import { defineConfig } from 'drizzle-kit'
import { databaseFromEnv } from './worker/config'

// Migrations are generated from the schema files and committed; the app applies them at start.
// The database (for drizzle-kit's migrate/studio/check) by the same names as the app:
// LIBSQL_URL / LIBSQL_AUTH_TOKEN, or their TURSO_DATABASE_URL / TURSO_AUTH_TOKEN aliases.
const database = databaseFromEnv(process.env)

export default defineConfig({
  dialect: 'turso',
  schema: './worker/db/schema/*.ts',
  out: './worker/db/migrations',
  dbCredentials: {
    url: database.url ?? 'file:./data/earshot.db',
    authToken: database.authToken,
  },
})
