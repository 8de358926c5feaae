// Thin helpers over drizzle's raw SQL so engine code reads as plain SQL and works on the ORM or a tx.
import type { SQL } from 'drizzle-orm'

/** Anything that can run SQL: the drizzle ORM or an open transaction (both libSQL). */
export interface Executor {
  all<T = unknown>(query: SQL): Promise<T[]>
  run(query: SQL): Promise<{ rowsAffected: number }>
}

export const all = <T>(x: Executor, q: SQL) => x.all<T>(q)
export const run = (x: Executor, q: SQL) => x.run(q)
