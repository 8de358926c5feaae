// Opt-in (CLUSTER_SQL_PROFILE=1): times each SQL statement the engine runs, by statement shape.
import type { SQL } from 'drizzle-orm'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'

const dialect = new SQLiteSyncDialect()
export const sqlTimes = new Map<string, { n: number; ms: number }>()

export function profiled<T extends object>(tx: T): T {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver)
      if ((prop === 'all' || prop === 'run') && typeof v === 'function') {
        return async (q: SQL) => {
          const key = dialect.sqlToQuery(q).sql.replace(/\s+/g, ' ').slice(0, 70)
          const t = performance.now()
          try {
            return await v.call(target, q)
          } finally {
            const e = sqlTimes.get(key) ?? { n: 0, ms: 0 }
            e.n++
            e.ms += performance.now() - t
            sqlTimes.set(key, e)
          }
        }
      }
      return v
    },
  })
}

export function printSqlTimes(): void {
  for (const [k, v] of [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms)) console.log((v.ms / v.n).toFixed(3).padStart(8), 'ms', String(v.n).padStart(6), k)
}
