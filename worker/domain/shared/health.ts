import { sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { healthProbes } from '../../db/schema/index.js'
import type { Deps } from './deps.js'

// What `/health` reports: can the database be read, and can it be written? A full disk or a
// read-only volume still answers `SELECT 1`, while every report would fail, so a tiny committed
// write is part of the check. The write is cached a few seconds per entry (`Deps.healthProbe`) (values only, never
// a promise shared across requests, so the same code is right on Workers).

export interface Health {
  ok: boolean
  database: 'up' | 'down'
  /** null when the database does not answer at all. */
  writable: boolean | null
}

/** How long one write probe's outcome stands (wall time: this is about the machine, not the app clock). */
export const WRITE_PROBE_TTL_MS = 3_000
/** A probe that never settled (a request cancelled mid-way on Workers) stops blocking new ones after this. */
const STALE_PROBE_MS = 30_000

/** The last write probe's outcome: one per entry (`Deps.healthProbe`), never module-level. */
export interface HealthProbe {
  writable?: boolean
  at: number
  probingSince?: number
}
export const newHealthProbe = (): HealthProbe => ({ at: 0 })

export async function checkHealth(
  deps: Pick<Deps, 'db' | 'healthProbe'>,
  log?: (message: string) => void,
): Promise<Health> {
  try {
    await deps.db.client.execute('SELECT 1')
  } catch {
    return { ok: false, database: 'down', writable: null }
  }
  const writable = await canWrite(deps.db, deps.healthProbe, log)
  return { ok: writable, database: 'up', writable }
}

const within = (since: number | undefined, now: number, ms: number) =>
  since !== undefined && now - since >= 0 && now - since < ms

async function canWrite(db: Database, state: HealthProbe, log?: (message: string) => void): Promise<boolean> {
  const now = Date.now()
  // A fresh outcome stands; while another request is probing, its predecessor's outcome does.
  if (
    state.writable !== undefined &&
    (within(state.at, now, WRITE_PROBE_TTL_MS) || within(state.probingSince, now, STALE_PROBE_MS))
  ) {
    return state.writable
  }
  state.probingSince = now
  let writable: boolean
  try {
    await db.write((tx) =>
      tx
        .insert(healthProbes)
        .values({ id: 'write-probe', at: now })
        .onConflictDoUpdate({ target: healthProbes.id, set: { at: sql`excluded.at` } }),
    )
    writable = true
  } catch (error) {
    writable = false
    // drizzle wraps the driver's error ("Failed query: …"); the driver's own message says why.
    const e = error as Error & { cause?: Error }
    if (state.writable !== false)
      log?.(`health: the database answers but cannot be written: ${e?.cause?.message ?? e?.message ?? e}`)
  }
  state.writable = writable
  state.at = Date.now()
  state.probingSince = undefined
  return writable
}
