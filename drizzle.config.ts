import { defineConfig } from 'drizzle-kit'

// Migrations are generated from the schema files and committed; the app applies them at start.
export default defineConfig({
  dialect: 'turso',
  schema: './worker/db/schema/*.ts',
  out: './worker/db/migrations',
  dbCredentials: {
    url: process.env.LIBSQL_URL ?? 'file:./data/earshot.db',
    authToken: process.env.LIBSQL_AUTH_TOKEN,
  },
})
