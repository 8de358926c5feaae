// Opt-in (CLUSTER_SQL_PROFILE=1): times each SQL statement the engine runs, by statement shape.
// The engine runs its SQL on the libSQL client under drizzle (worker/db/raw-sql.ts), so the
// proxy times `execute` on the client that the transaction's session hands out.
export const sqlTimes = new Map<string, { n: number; ms: number }>()

type Execute = (statement: { sql: string } | string) => Promise<unknown>

function timedClient<C extends { execute: Execute }>(client: C): C {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver)
      if (prop !== 'execute' || typeof v !== 'function') return v
      return async (statement: { sql: string } | string) => {
        const key = (typeof statement === 'string' ? statement : statement.sql).replace(/\s+/g, ' ').trim().slice(0, 70)
        const t = performance.now()
        try {
          return await v.call(target, statement)
        } finally {
          const e = sqlTimes.get(key) ?? { n: 0, ms: 0 }
          e.n++
          e.ms += performance.now() - t
          sqlTimes.set(key, e)
        }
      }
    },
  })
}

export function profiled<T extends object>(tx: T): T {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver)
      if (prop !== 'session' || !v) return v
      return new Proxy(v, {
        get(session, key, r) {
          const inner = Reflect.get(session, key, r)
          return (key === 'tx' || key === 'client') && inner ? timedClient(inner as unknown as { execute: Execute }) : inner
        },
      })
    },
  })
}

export function printSqlTimes(): void {
  for (const [k, v] of [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms)) console.log((v.ms / v.n).toFixed(3).padStart(8), 'ms', String(v.n).padStart(6), k)
}
