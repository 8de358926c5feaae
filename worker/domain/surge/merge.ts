// Cluster merges carry their surge counters along (see foldScopeCounters).
import { sql } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { firstRow } from '../../db/raw-sql.js'
import { foldScopeCounters } from './counters.js'
import { surgeSettings } from './settings.js'

/** Called whenever cluster `from` is merged into `to`, in the same transaction as the merge. */
export async function foldClusterCounters(x: Reader, projectId: string, from: string, to: string): Promise<void> {
  const project = await firstRow<{ settings: string }>(x, sql`SELECT settings FROM projects WHERE id = ${projectId}`)
  if (!project) return
  await foldScopeCounters(x, projectId, from, to, surgeSettings(project).cluster.baselineMinutes)
}
