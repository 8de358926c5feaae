// Node only (native module): never import this from code that reaches the Workers bundle.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import Database from 'libsql'

/** Prepared statements kept per connection; the hot paths use a few dozen distinct texts. */
const MAX_STATEMENTS_PER_CONNECTION = 512

interface NativeStatement {
  readonly reader: boolean
  raw(on?: boolean): NativeStatement
  safeIntegers(on?: boolean): NativeStatement
  columns(): unknown[]
}

// What the native `raw()` throws for a statement that returns no rows; the client only tests for it.
const NOT_A_READER = new TypeError('The raw() method is only for statements that return data')

/**
 * A prepared statement kept for reuse. @libsql/client configures every statement the same way
 * on every call (`safeIntegers(true)`, then `raw(true)` — which throws for writes — then
 * `columns()` twice); each of those is a native call, and the throw builds an error with a stack.
 * Profiling showed them at ~15 % of ingest CPU, so those three are answered from what is already
 * known; every other member (run, all, get, iterate, pluck, interrupt, whatever a later version
 * adds) is the statement's own, passed through.
 */
function reusable(statement: NativeStatement): NativeStatement {
  let rawMode: boolean | undefined
  let safe: boolean | undefined
  let cols: unknown[] | undefined
  const overrides: Record<PropertyKey, unknown> = {
    raw(on = true) {
      if (!statement.reader) throw NOT_A_READER
      if (on !== rawMode) statement.raw(on)
      rawMode = on
      return reused
    },
    safeIntegers(on = true) {
      if (on !== safe) statement.safeIntegers(on)
      safe = on
      return reused
    },
    // A statement's result columns follow from its text and the schema; migrations run before
    // anything is served, and a later schema change would come with new statement texts.
    columns: () => (cols ??= statement.columns()),
  }
  const bound = new Map<PropertyKey, unknown>()
  const reused: NativeStatement = new Proxy(statement, {
    get(target, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key]
      const value = Reflect.get(target, key, target)
      if (typeof value !== 'function') return value
      let fn = bound.get(key)
      if (!fn) bound.set(key, (fn = value.bind(target)))
      return fn
    },
  })
  return reused
}

/**
 * The driver versions this cache was checked against. It patches libsql's `prepare` and answers
 * calls @libsql/client makes in a known order; another version of either may make other calls, so
 * it must be re-checked (test/db/statement-cache.test.ts) before the pins move.
 */
export const CHECKED_DRIVER_VERSIONS: Readonly<Record<'libsql' | '@libsql/client', string>> = {
  libsql: '0.5.29',
  '@libsql/client': '0.18.0',
}

/** The installed version of a package (neither exports its package.json, so walk up from its entry). */
export function installedVersion(name: string): string | undefined {
  const require = createRequire(import.meta.url)
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (!existsSync(file)) continue
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
    if (pkg.name === name) return pkg.version
  }
  return undefined
}

/** Fails loudly, in one place, when the drivers are not the versions the cache was checked with. */
export function assertCheckedDrivers(versionOf: (name: string) => string | undefined = installedVersion): void {
  for (const [name, checked] of Object.entries(CHECKED_DRIVER_VERSIONS)) {
    const found = versionOf(name)
    if (found !== checked) {
      throw new Error(
        `${name} ${found ?? '(not found)'} is installed, ` +
          `but worker/db/statement-cache.ts was checked against ${checked}. ` +
          'Run test/db/statement-cache.test.ts with the new version and update CHECKED_DRIVER_VERSIONS, ' +
          'or reinstall the pinned version (npm ci).',
      )
    }
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
  assertCheckedDrivers()
  installed = true
  const proto = (Database as unknown as { prototype: { prepare(sql: string): NativeStatement } }).prototype
  const prepare = proto.prepare
  const caches = new WeakMap<object, Map<string, NativeStatement>>()
  proto.prepare = function cachedPrepare(this: object, sql: string) {
    let cache = caches.get(this)
    if (!cache) caches.set(this, (cache = new Map()))
    const hit = cache.get(sql)
    if (hit) return hit
    const statement = reusable(prepare.call(this, sql))
    // Oldest first out (a Map keeps insertion order). Hot statements are re-prepared at once if
    // ever evicted; keeping an exact LRU order cost more per call than it saved.
    if (cache.size >= MAX_STATEMENTS_PER_CONNECTION) cache.delete(cache.keys().next().value!)
    cache.set(sql, statement)
    return statement
  }
}
