import { sql } from 'drizzle-orm'
import type { Deps } from '../../worker/domain/shared/deps.js'

/**
 * Waits for the report pipeline (deterministically: it processes everything waiting, then
 * resolves) and returns the cluster the report was given.
 */
export async function clusterOf(deps: Pick<Deps, 'db' | 'pipeline'>, reportId: string): Promise<string | null> {
  await deps.pipeline.drain()
  const rows = await deps.db.orm.all<{ cluster_id: string | null }>(
    sql`SELECT cluster_id FROM reports WHERE id = ${reportId}`,
  )
  if (!rows.length) throw new Error(`report ${reportId} is not stored`)
  return rows[0]!.cluster_id
}
