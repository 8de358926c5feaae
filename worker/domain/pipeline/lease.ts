// One pipeline runner at a time across processes sharing a libSQL server: a lease row with an
// expiry, renewed by every batch inside its own transaction. A runner whose lease lapsed (the
// process died, or stalled) is replaced by the next one that tries.
import type { InStatement } from '@libsql/client'
import type { Reader } from '../../db/client.js'
import { queryRows } from '../../db/raw-sql.js'

export const LEASE_NAME = 'reports'

export interface Lease {
  holder: string
  expiresAt: number
}

export async function currentLease(x: Reader): Promise<Lease | undefined> {
  const [row] = await queryRows<{ holder: string; expires_at: number }>(x, {
    sql: 'SELECT holder, expires_at FROM pipeline_leases WHERE name = ?',
    args: [LEASE_NAME],
  })
  return row ? { holder: row.holder, expiresAt: Number(row.expires_at) } : undefined
}

/**
 * Takes or renews the lease in the open transaction until `now + ttlMs`. Refused (false) while
 * another holder's lease runs, unless `exclusive`: a process that alone may write the database
 * (an embedded file) takes it whatever an earlier, dead process left behind.
 */
export async function holdLease(
  x: Reader,
  holder: string,
  now: number,
  ttlMs: number,
  exclusive: boolean,
): Promise<boolean> {
  const rows = await queryRows<{ holder: string }>(x, holdLeaseStatement(holder, now, ttlMs, exclusive))
  return rows.length === 1
}

/**
 * holdLease's statement, for a batch that sends it with its writes (pipeline/batch.ts): it returns
 * one row when the lease is held, none when it is refused.
 */
export function holdLeaseStatement(holder: string, now: number, ttlMs: number, exclusive: boolean): InStatement {
  return {
    sql: `INSERT INTO pipeline_leases (name, holder, expires_at) VALUES (?, ?, ?)
          ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE ? OR pipeline_leases.holder = excluded.holder OR pipeline_leases.expires_at <= ?
          RETURNING holder`,
    args: [LEASE_NAME, holder, now + ttlMs, exclusive ? 1 : 0, now],
  }
}

/** Gives the lease up (a clean shutdown), so another process need not wait for it to lapse. */
export async function releaseLease(x: Reader, holder: string): Promise<void> {
  await queryRows(x, {
    sql: 'UPDATE pipeline_leases SET expires_at = 0 WHERE name = ? AND holder = ?',
    args: [LEASE_NAME, holder],
  })
}
