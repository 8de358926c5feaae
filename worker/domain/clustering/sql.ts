// Thin helpers over raw SQL so engine code reads as plain SQL and works on the ORM or a tx.
import type { SQL } from 'drizzle-orm'
import { allRows, runStatement } from '../../db/raw-sql.js'

/** Anything that can run SQL: the drizzle ORM or an open transaction (both libSQL). */
export interface Executor {
  all<T = unknown>(query: SQL): Promise<T[]>
  run(query: SQL): Promise<{ rowsAffected: number }>
}

// Straight to the libSQL client (the engine runs for every report); see db/raw-sql.ts.
export const all = <T>(x: Executor, q: SQL) => allRows<T>(x as never, q)
export const run = (x: Executor, q: SQL) => runStatement(x as never, q)
