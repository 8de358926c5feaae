import { migrate } from 'drizzle-orm/libsql/migrator'
import type { Database } from './client.js'

export const MIGRATIONS_FOLDER = new URL('./migrations', import.meta.url).pathname

/** Applies the committed drizzle-kit migrations (idempotent: applied ones are skipped). */
export async function migrateDatabase(db: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  await migrate(db.orm, { migrationsFolder })
}
