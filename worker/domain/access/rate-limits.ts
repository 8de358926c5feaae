import { lt } from 'drizzle-orm'
import type { Clock } from '../../clock.js'
import type { Database } from '../../db/client.js'
import { rateLimits } from '../../db/schema/index.js'
import { sha256Hex } from '../shared/index.js'

// The storage behind the database rate limiter (`databaseRateLimiter` in http/rate-limit.ts, which
// keeps the policy: windows, limits, Retry-After). Only this module touches `rate_limits`.

/**
 * Counts one request under `key` in the window starting at `windowStart` and returns the window's
 * count. One upsert per request, a single autocommit statement (atomic on its own: one round trip
 * to Turso instead of the three of a transaction), so it is meant for a database without the
 * in-process write queue, as on Workers. Keys are hashed so no client address is stored in the clear.
 */
export async function countRateLimitHit(db: Database, key: string, windowStart: number): Promise<number> {
  const hashed = sha256Hex(key).slice(0, 40)
  const result = await db.client.execute({
    sql: `INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)
          ON CONFLICT (key) DO UPDATE SET
            count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
            window_start = excluded.window_start
          RETURNING count`,
    args: [hashed, windowStart],
  })
  return Number(result.rows[0]!.count)
}

/** Deletes finished windows (background job); the longest window in use is an hour. */
export async function pruneRateLimits(db: Database, clock: Clock): Promise<void> {
  await db.write((tx) => tx.delete(rateLimits).where(lt(rateLimits.windowStart, clock.now() - 2 * 3600_000)))
}
