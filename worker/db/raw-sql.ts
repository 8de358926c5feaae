// Plain SQL on the ingest path, straight to the libSQL client under drizzle.
import type { InStatement, InValue, ResultSet, Row } from '@libsql/client'
import { SQL, StringChunk } from 'drizzle-orm'
import type { Reader } from './client.js'

/**
 * Flattens a raw `sql` template (text, values, nested `sql` fragments and `sql.join`s) into a
 * statement with `?` placeholders. Anything else (a table, a column, a typed param) returns
 * undefined and the query goes through drizzle as usual. drizzle's own builder handles every kind
 * of chunk and showed in ingest profiles at ~8 % of the CPU per report.
 */
export function flatten(query: SQL): InStatement | undefined {
  const out = { sql: '', args: [] as InValue[] }
  return flattenInto(query, out) ? out : undefined
}

function flattenInto(query: SQL, out: { sql: string; args: InValue[] }): boolean {
  for (const chunk of query.queryChunks as unknown[]) {
    if (chunk === null || chunk === undefined) {
      out.sql += '?'
      out.args.push(null)
    } else if (typeof chunk !== 'object') {
      if (typeof chunk === 'function' || typeof chunk === 'symbol') return false
      out.sql += '?'
      out.args.push(chunk as InValue)
    } else if (chunk instanceof StringChunk) {
      out.sql += chunk.value.join('')
    } else if (chunk instanceof SQL) {
      if (!flattenInto(chunk, out)) return false
    } else {
      return false
    }
  }
  return true
}

/** What raw statements run on: a libSQL client, or an open libSQL transaction. */
export interface Executor {
  execute(statement: InStatement): Promise<ResultSet>
  batch(statements: InStatement[]): Promise<ResultSet[]>
}

/**
 * The libSQL handle under each drizzle database or transaction Earshot made, recorded where it is
 * made (db/client.ts), never dug out of drizzle's session later. A handle that is not here is
 * refused: falling back to the main connection would run a transaction's statements outside it.
 */
const executors = new WeakMap<object, Executor>()

export function registerExecutor(handle: Reader, executor: Executor): void {
  executors.set(handle, executor)
}

function executorOf(x: Reader): Executor {
  const executor = executors.get(x)
  if (!executor)
    throw new Error(
      'Raw SQL needs a database or transaction made by db/client.ts (createDatabase, db.write, inTransaction).',
    )
  return executor
}

/** Rows of a raw `sql` query, as drizzle's `all` would return them. */
export async function allRows<T>(x: Reader, query: SQL): Promise<T[]> {
  const statement = flatten(query)
  if (!statement) return x.all<T>(query)
  return (await executorOf(x).execute(statement)).rows as unknown as T[]
}

/** Runs a raw `sql` statement, as drizzle's `run` would. */
export async function runStatement(x: Reader, query: SQL): Promise<{ rowsAffected: number }> {
  const statement = flatten(query)
  if (!statement) return x.run(query) as Promise<{ rowsAffected: number }>
  return executorOf(x).execute(statement)
}

/** The first row of a raw `sql` query, or undefined. */
export async function firstRow<T>(x: Reader, query: SQL): Promise<T | undefined> {
  return (await allRows<T>(x, query))[0]
}

/**
 * Runs prepared statements in order on the open transaction under `x` (one request to a libSQL
 * server where the client supports it). Returns each statement's result.
 */
export async function runStatements(
  x: Reader,
  statements: InStatement[],
): Promise<{ rows: Row[]; rowsAffected: number }[]> {
  if (!statements.length) return []
  return executorOf(x).batch(statements)
}

/** Rows of one prepared statement (no drizzle template), read through the client under `x`. */
export async function queryRows<T>(x: Reader, statement: InStatement): Promise<T[]> {
  return (await executorOf(x).execute(statement)).rows as unknown as T[]
}
