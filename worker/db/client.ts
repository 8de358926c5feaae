import type { Client, InStatement, ResultSet } from '@libsql/client'
import { sql } from 'drizzle-orm'
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql'
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import * as schema from './schema/index.js'
import { registerExecutor, runStatement } from './raw-sql.js'
import { WriteQueue } from './write-queue.js'

export type Schema = typeof schema
export type Orm = LibSQLDatabase<Schema>
/** A write transaction (db.write, inTransaction): a drizzle database over an open libSQL transaction. */
export type Tx = LibSQLDatabase<Schema>
/** What domain code reads with: the ORM itself or an open transaction. */
export type Reader = BaseSQLiteDatabase<'async', any, Schema>

export interface Database {
  client: Client
  orm: Orm
  /** Serialised, group-committed write. Resolves only after the commit. */
  write<T>(job: (tx: Tx) => Promise<T>): Promise<T>
  /**
   * May work started by a request go on after its response (e.g. delivering the outbox at once)?
   * Not on Workers: workerd cancels a request's I/O when it ends, which could leave a write
   * transaction open on the database until it times out. There the cron does that work.
   */
  backgroundWork: boolean
  /** A libSQL server (sqld, Turso) over the network, not an embedded file: every statement is a request. */
  remote: boolean
  /**
   * Only on a libSQL server (sqld, Turso; not an embedded file): runs the statements as ONE atomic
   * write — a libSQL batch in its own transaction, one request to the server — and returns each
   * one's result. The intake uses it so a report costs one round trip instead of the group
   * commit's BEGIN, SAVEPOINT, INSERT, RELEASE, COMMIT. Without group commit (Workers) it is the
   * client's batch; with it (Node on `LIBSQL_URL=http://…`) it goes through the write queue, and
   * such writes that arrive together share one batch (write-queue.ts `runStatements`).
   */
  writeOnce?: (statements: InStatement[]) => Promise<ResultSet[]>
  close(): void
}

export interface DatabaseOptions {
  /**
   * Group-commit writes through one in-process queue (default). The Workers entry turns it off:
   * workerd ties every fetch to the request that started it, so a queue shared by requests would
   * run one request's writes inside another's I/O context and hang once that request ends. Each
   * write is then its own transaction, and the libSQL server serialises the writers. It also turns
   * off `backgroundWork`, for the same reason.
   */
  groupCommit?: boolean
  /**
   * `writeOnce` with group commit: default on for a libSQL server, off for an embedded file (there
   * every write stays an interactive job of the group commit, as the single-writer file needs).
   */
  oneRequestWrites?: boolean
}

/**
 * The transaction a group commit runs in is gone: a libSQL server (sqld, Turso) rolls back a writer
 * that keeps another waiting for its lock too long (5 s) and runs that connection's next
 * statements outside any transaction. No further job of the batch may run — each savepoint would
 * then commit on its own, durable while its caller is told it failed — and none of the batch is
 * durable. Safe to retry, like a busy database.
 */
export class TransactionLostError extends Error {
  readonly code = 'TRANSACTION_LOST'
  constructor(cause: unknown) {
    super(`The database ended the write transaction (${(cause as Error)?.message ?? cause}); nothing in it was stored.`)
    this.cause = cause
  }
}

/**
 * Runs `job` in one write transaction of its own on `client` (BEGIN IMMEDIATE … COMMIT). The
 * transaction is made here, not by drizzle, so its libSQL handle is known where it is created
 * (db/raw-sql.ts runs the hot path's statements straight on it). Domain code gets a drizzle
 * database over that handle, built without the schema's relational helpers: building them costs
 * ~0.3 ms — about a whole report's insert — and nothing uses `tx.query`.
 */
export async function inTransaction<T>(client: Client, job: (tx: Tx) => Promise<T>): Promise<T> {
  const handle = await client.transaction('write')
  const tx = drizzle(handle as unknown as Client) as unknown as Tx
  registerExecutor(tx, handle)
  try {
    const result = await job(tx)
    await handle.commit()
    return result
  } catch (error) {
    // When the server took the transaction away, ROLLBACK fails too ("no transaction is
    // active"): answer with why the transaction really failed.
    await handle.rollback().catch(() => {})
    throw error
  } finally {
    handle.close()
  }
}

export function createDatabase(client: Client, options: DatabaseOptions = {}): Database {
  const orm = drizzle(client, { schema })
  registerExecutor(orm, client)
  const transaction = <T>(job: (tx: Tx) => Promise<T>): Promise<T> => inTransaction(client, job)
  const remote = client.protocol !== 'file'
  const oneRequest = options.oneRequestWrites ?? remote
  const batch = (statements: InStatement[]) => client.batch(statements, 'write')
  const queue = new WriteQueue<Tx>({
    transaction,
    savepoint: (tx, job) => savepoint(tx, job),
    abortsBatch: (error) => error instanceof TransactionLostError,
    batch: oneRequest ? (statements) => batch(statements as InStatement[]) : undefined,
  })
  const groupCommit = options.groupCommit !== false
  return {
    client,
    orm,
    write: groupCommit ? (job) => queue.run(job) : transaction,
    backgroundWork: groupCommit,
    remote,
    writeOnce: !groupCommit
      ? batch
      : oneRequest
        ? (statements) => queue.runStatements<ResultSet>(statements)
        : undefined,
    close: () => client.close(),
  }
}

/**
 * One group-commit job inside a plain SAVEPOINT on the shared transaction. drizzle's nested
 * `tx.transaction()` does the same but builds a new transaction object (with its relational query
 * helpers) per job, which profiling showed as a real share of ingest time at 64 connections.
 */
async function savepoint<T>(tx: Tx, job: (tx: Tx) => Promise<T>): Promise<T> {
  await bookkeeping(tx, 'SAVEPOINT write_job')
  let result: T
  try {
    result = await job(tx)
  } catch (error) {
    await bookkeeping(tx, 'ROLLBACK TO write_job', error)
    await bookkeeping(tx, 'RELEASE write_job', error)
    throw error
  }
  await bookkeeping(tx, 'RELEASE write_job')
  return result
}

/**
 * Inside an open transaction these statements cannot fail; when they do, the transaction is no
 * longer there (see TransactionLostError), and the batch must stop.
 */
async function bookkeeping(tx: Tx, statement: string, jobError?: unknown): Promise<void> {
  try {
    await runStatement(tx, sql.raw(statement))
  } catch (error) {
    throw new TransactionLostError(jobError ?? error)
  }
}
