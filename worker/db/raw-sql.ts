// Plain SQL on the ingest path, straight to the libSQL client under drizzle.
import type { InStatement, InValue, Row } from '@libsql/client'
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

interface ClientLike {
  execute(statement: InStatement): Promise<{ rows: Row[]; rowsAffected: number }>
  batch?(statements: InStatement[]): Promise<{ rows: Row[]; rowsAffected: number }[]>
}

/** The libSQL client (or open libSQL transaction) a drizzle database or transaction runs on. */
function clientOf(x: Reader): ClientLike | undefined {
  const session = (x as unknown as { session?: { tx?: ClientLike; client?: ClientLike } }).session
  return session?.tx ?? session?.client
}

/** Rows of a raw `sql` query, as drizzle's `all` would return them. */
export async function allRows<T>(x: Reader, query: SQL): Promise<T[]> {
  const statement = flatten(query)
  const client = statement && clientOf(x)
  if (!client) return x.all<T>(query)
  return (await client.execute(statement!)).rows as unknown as T[]
}

/** Runs a raw `sql` statement, as drizzle's `run` would. */
export async function runStatement(x: Reader, query: SQL): Promise<{ rowsAffected: number }> {
  const statement = flatten(query)
  const client = statement && clientOf(x)
  if (!client) return x.run(query) as Promise<{ rowsAffected: number }>
  return client.execute(statement!)
}

/** The first row of a raw `sql` query, or undefined. */
export async function firstRow<T>(x: Reader, query: SQL): Promise<T | undefined> {
  return (await allRows<T>(x, query))[0]
}

/**
 * Runs prepared statements in order on the open transaction under `x` (one request to a libSQL
 * server where the client supports it). Returns each statement's result.
 */
export async function runStatements(x: Reader, statements: InStatement[]): Promise<{ rows: Row[]; rowsAffected: number }[]> {
  if (!statements.length) return []
  const client = clientOf(x)
  if (!client) throw new Error('runStatements needs a libSQL client or transaction under drizzle')
  if (client.batch) return client.batch(statements)
  const out = []
  for (const s of statements) out.push(await client.execute(s))
  return out
}

/** Rows of one prepared statement (no drizzle template), read through the client under `x`. */
export async function queryRows<T>(x: Reader, statement: InStatement): Promise<T[]> {
  const client = clientOf(x)
  if (!client) throw new Error('queryRows needs a libSQL client or transaction under drizzle')
  return (await client.execute(statement)).rows as unknown as T[]
}
