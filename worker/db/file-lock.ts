// Node only (native module): never import this from code that reaches the Workers bundle.
import { existsSync, realpathSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import Database from 'libsql'

/**
 * One writer process per embedded database file.
 *
 * Two processes writing the same libSQL file lose acknowledged writes (libsql 0.5.29 through
 * @libsql/client 0.18: an INSERT that fails with SQLITE_BUSY is left un-reset, so the connection's
 * next autocommit writes answer OK but are never committed, and are rolled back later). Inside one
 * process the write queue serialises writers, so the rule is one process per file, enforced here.
 *
 * The lock is an OS-level advisory lock (POSIX fcntl on Unix, LockFileEx on Windows) held on
 * `<file>.lock` — a tiny SQLite file kept inside an open write transaction (RESERVED lock) for as
 * long as the process runs. The kernel drops it when the process ends in any way, kill -9
 * included, so a stale lock cannot exist: nothing needs to be cleaned up after a crash, and a
 * recycled pid or a second container on the same volume (same kernel, another pid namespace)
 * cannot fool it. The holder's pid, host, command and start time are written into that file for
 * the error message only; they never decide anything.
 *
 * Inside one process the lock is shared (counted): tests and benches open several clients on one
 * file, and one process already has one write queue per database.
 */

export class DatabaseFileLockedError extends Error {
  readonly code = 'database_file_locked'
  constructor(
    readonly file: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder
      ? `pid ${holder.pid} on ${holder.host}${holder.command ? ` (${holder.command})` : ''}, ` +
        `since ${new Date(holder.startedAt).toISOString()}`
      : 'another process'
    super(
      `The database file ${file} is already open for writing by ${who}. ` +
        'Two processes writing one embedded libSQL file lose acknowledged writes, so this one will not use it. ' +
        'Stop the other process first — or, to run several processes, ' +
        'point LIBSQL_URL at a libSQL server (sqld) instead of a file.',
    )
    this.name = 'DatabaseFileLockedError'
  }
}

export interface LockHolder {
  pid: number
  host: string
  command: string
  startedAt: number
}

export interface FileLock {
  /** The lock file (`<database file>.lock`). */
  readonly path: string
  /** Gives this opener's share back; the OS lock goes when the last one in this process does. */
  release(): void
}

type Connection = InstanceType<typeof Database>
const held = new Map<string, { connection: Connection; refs: number }>()

/** `<database>.lock` next to the file's real location, so symlinked paths share one lock. */
export function lockPathFor(databaseFile: string): string {
  const absolute = resolve(databaseFile)
  const real = existsSync(absolute)
    ? realpathSync(absolute)
    : join(existsSync(dirname(absolute)) ? realpathSync(dirname(absolute)) : dirname(absolute), basename(absolute))
  return `${real}.lock`
}

/**
 * Takes the writer lock for an embedded database file, or throws `DatabaseFileLockedError` at
 * once (never waits) when another process holds it.
 */
export function lockDatabaseFile(databaseFile: string): FileLock {
  const path = lockPathFor(databaseFile)
  let entry = held.get(path)
  if (!entry) {
    entry = { connection: acquire(path, databaseFile), refs: 0 }
    held.set(path, entry)
  }
  entry.refs++
  const mine = entry
  let released = false
  return {
    path,
    release() {
      if (released) return
      released = true
      if (--mine.refs > 0) return
      held.delete(path)
      closeQuietly(mine.connection)
    },
  }
}

const isBusy = (error: unknown) =>
  /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(
    String((error as { code?: string })?.code ?? '') + String((error as Error)?.message ?? ''),
  )

function acquire(path: string, databaseFile: string): Connection {
  // A few rounds only when another process slips in between publishing our name and locking.
  for (let round = 0; round < 5; round++) {
    const connection = new Database(path) // no busy timeout: a held lock answers SQLITE_BUSY at once
    try {
      const token = `${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2)}`
      begin(connection, path, databaseFile)
      // Readers only see committed rows, so our name is committed first, then the lock taken again.
      connection.exec(
        'CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, ' +
          'host TEXT NOT NULL, command TEXT NOT NULL, started_at INTEGER NOT NULL, token TEXT NOT NULL)',
      )
      connection
        .prepare('INSERT OR REPLACE INTO holder (id, pid, host, command, started_at, token) VALUES (1, ?, ?, ?, ?, ?)')
        .run([process.pid, hostname(), commandLine(), Date.now(), token])
      connection.exec('COMMIT')
      begin(connection, path, databaseFile)
      const row = connection.prepare('SELECT token FROM holder WHERE id = 1').get() as { token?: string } | undefined
      if (row?.token === token) return connection
      closeQuietly(connection) // someone wrote their name in the gap and lost the race; try again
    } catch (error) {
      closeQuietly(connection)
      throw error
    }
  }
  throw new DatabaseFileLockedError(resolve(databaseFile), undefined)
}

/** BEGIN IMMEDIATE takes SQLite's RESERVED lock on the lock file: one holder at a time, across processes. */
function begin(connection: Connection, path: string, databaseFile: string): void {
  try {
    connection.exec('BEGIN IMMEDIATE')
  } catch (error) {
    if (!isBusy(error)) throw error
    throw new DatabaseFileLockedError(resolve(databaseFile), readHolder(path))
  }
}

function readHolder(path: string): LockHolder | undefined {
  let reader: Connection | undefined
  try {
    reader = new Database(path)
    const row = reader.prepare('SELECT pid, host, command, started_at FROM holder WHERE id = 1').get() as
      | { pid: number; host: string; command: string; started_at: number }
      | undefined
    return row
      ? { pid: Number(row.pid), host: row.host, command: row.command, startedAt: Number(row.started_at) }
      : undefined
  } catch {
    return undefined // the holder is just committing its name, or the file is unreadable
  } finally {
    if (reader) closeQuietly(reader)
  }
}

/**
 * Ends the transaction first: a connection with statements not yet garbage-collected is only
 * closed by SQLite once they are finalized, and until then it would keep the lock.
 */
function closeQuietly(connection: Connection): void {
  try {
    if (connection.inTransaction) connection.exec('ROLLBACK')
  } catch {
    // not in a transaction after all
  }
  try {
    connection.close()
  } catch {
    // already closed
  }
}

function commandLine(): string {
  const script = process.argv[1] ? basename(process.argv[1]) : ''
  const npm = process.env.npm_lifecycle_event ? `npm run ${process.env.npm_lifecycle_event}` : ''
  return [npm, script].filter(Boolean).join(' · ').slice(0, 200)
}
