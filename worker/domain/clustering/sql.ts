// Thin helpers over raw SQL so engine code reads as plain SQL and works on the ORM or a tx.
import type { SQL } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { allRows, runStatement } from '../../db/raw-sql.js'

/** Anything that can run SQL: the ORM or an open transaction (db/client.ts). */
export type Executor = Reader

// Straight to the libSQL client (the engine runs for every report); see db/raw-sql.ts.
export const all = <T>(x: Executor, q: SQL) => allRows<T>(x, q)
export const run = (x: Executor, q: SQL) => runStatement(x, q)
