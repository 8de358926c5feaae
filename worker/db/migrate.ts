import { migrate } from 'drizzle-orm/libsql/migrator'
import type { Database } from './client.js'

export const MIGRATIONS_FOLDER = new URL('./migrations', import.meta.url).pathname

/** How many migrations the database has recorded (0 on a fresh one, before the table exists). */
export async function appliedMigrations(db: Database): Promise<number> {
  try {
    const rs = await db.client.execute('SELECT count(*) AS n FROM __drizzle_migrations')
    return Number(rs.rows[0]?.n ?? 0)
  } catch {
    return 0
  }
}

const ATTEMPTS = 5

/**
 * Applies the committed drizzle-kit migrations (idempotent: applied ones are skipped).
 *
 * Several Node processes starting at once against one libSQL server race here: drizzle reads
 * which migrations are applied, then applies the rest in one transaction, so the process that
 * commits second fails as a whole ("table … already exists") and nothing of it is kept. When
 * another process recorded migrations in the meantime, or the database was busy, this tries
 * again — and then finds them applied. Any other failure is thrown at once.
 */
export async function migrateDatabase(db: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const before = await appliedMigrations(db)
    try {
      await migrate(db.orm, { migrationsFolder })
      return
    } catch (error) {
      const busy = /SQLITE_BUSY|SQLITE_LOCKED|TRANSACTION_TIMEOUT/.test(String((error as { code?: string }).code ?? ''))
      const raced = (await appliedMigrations(db)) > before
      if (attempt >= ATTEMPTS || !(busy || raced)) throw error
      await new Promise((ok) => setTimeout(ok, 50 * attempt))
    }
  }
}
