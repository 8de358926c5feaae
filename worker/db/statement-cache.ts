// Node only (native module): never import this from code that reaches the Workers bundle.
import Database from 'libsql'

/** Prepared statements kept per connection; the hot paths use a few dozen distinct texts. */
const MAX_STATEMENTS_PER_CONNECTION = 512

interface NativeStatement {
  readonly reader: boolean
  raw(on?: boolean): NativeStatement
  safeIntegers(on?: boolean): NativeStatement
  columns(): unknown[]
  run(...args: unknown[]): unknown
  get(...args: unknown[]): unknown
  all(...args: unknown[]): unknown
  iterate(...args: unknown[]): unknown
}

// What the native `raw()` throws for a statement that returns no rows; the client only tests for it.
const NOT_A_READER = new TypeError('The raw() method is only for statements that return data')

/**
 * A prepared statement kept for reuse. @libsql/client configures every statement the same way
 * on every call (`safeIntegers(true)`, then `raw(true)` — which throws for writes — then
 * `columns()` twice); each of those is a native call, and the throw builds an error with a stack.
 * Profiling showed them at ~15 % of ingest CPU, so they are answered from what is already known.
 */
class ReusedStatement {
  readonly reader: boolean
  private rawMode: boolean | undefined
  private safe: boolean | undefined
  private cols: unknown[] | undefined
  constructor(private readonly native: NativeStatement) {
    this.reader = native.reader
  }
  raw(on = true): this {
    if (!this.reader) throw NOT_A_READER
    if (on !== this.rawMode) this.native.raw(on)
    this.rawMode = on
    return this
  }
  safeIntegers(on = true): this {
    if (on !== this.safe) this.native.safeIntegers(on)
    this.safe = on
    return this
  }
  // A statement's result columns follow from its text and the schema; migrations run before
  // anything is served, and a later schema change would come with new statement texts.
  columns(): unknown[] {
    return (this.cols ??= this.native.columns())
  }
  run(...args: unknown[]) {
    return this.native.run(...args)
  }
  get(...args: unknown[]) {
    return this.native.get(...args)
  }
  all(...args: unknown[]) {
    return this.native.all(...args)
  }
  iterate(...args: unknown[]) {
    return this.native.iterate(...args)
  }
}

let installed = false

/**
 * @libsql/client's embedded driver prepares every statement again on every call, and compiling
 * SQL against this schema (the reports table carries search and dashboard triggers) was ~1.5 ms of
 * every report's ~7.5 ms on the ingest path. This keeps each connection's prepared statements by
 * SQL text, so a statement is compiled once per connection.
 *
 * Reusing a statement is safe here: the client runs each one to completion synchronously
 * (`all`/`run`, which reset and rebind it), nothing else can run on the connection in between,
 * and SQLite re-prepares a cached statement by itself after a schema change.
 */
export function cacheEmbeddedStatements(): void {
  if (installed) return
  installed = true
  const proto = (Database as unknown as { prototype: { prepare(sql: string): NativeStatement } }).prototype
  const prepare = proto.prepare
  const caches = new WeakMap<object, Map<string, ReusedStatement>>()
  proto.prepare = function cachedPrepare(this: object, sql: string) {
    let cache = caches.get(this)
    if (!cache) caches.set(this, (cache = new Map()))
    const hit = cache.get(sql)
    if (hit) return hit as unknown as NativeStatement
    const statement = new ReusedStatement(prepare.call(this, sql))
    // Oldest first out (a Map keeps insertion order). Hot statements are re-prepared at once if
    // ever evicted; keeping an exact LRU order cost more per call than it saved.
    if (cache.size >= MAX_STATEMENTS_PER_CONNECTION) cache.delete(cache.keys().next().value!)
    cache.set(sql, statement)
    return statement as unknown as NativeStatement
  }
}
