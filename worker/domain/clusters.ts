import { and, desc, eq, inArray, isNull, lt } from 'drizzle-orm'
import type { Reader } from '../db/client.js'
import { clusters, reports, type ClusterStatus } from '../db/schema/index.js'
import type { Deps } from './deps.js'

export type Cluster = typeof clusters.$inferSelect
export type Report = typeof reports.$inferSelect

export async function listClusters(
  db: Reader,
  projectIds: string[],
  opts: { status?: ClusterStatus; limit?: number } = {},
): Promise<Cluster[]> {
  if (projectIds.length === 0) return []
  const filters = [inArray(clusters.projectId, projectIds), isNull(clusters.mergedIntoId)]
  if (opts.status) filters.push(eq(clusters.status, opts.status))
  return db
    .select()
    .from(clusters)
    .where(and(...filters))
    .orderBy(desc(clusters.lastSeenAt))
    .limit(opts.limit ?? 50)
    .all()
}

export async function getCluster(db: Reader, clusterId: string): Promise<Cluster | undefined> {
  return db.select().from(clusters).where(eq(clusters.id, clusterId)).get()
}

/** Newest reports first, paginated by a (created_at, id) cursor taken from the previous page's last row. */
export async function listClusterReports(db: Reader, clusterId: string, opts: { before?: string; limit?: number } = {}): Promise<Report[]> {
  const filters = [eq(reports.clusterId, clusterId)]
  if (opts.before) filters.push(lt(reports.id, opts.before))
  return db
    .select()
    .from(reports)
    .where(and(...filters))
    .orderBy(desc(reports.id))
    .limit(opts.limit ?? 25)
    .all()
}

export async function setClusterStatus(deps: Deps, clusterId: string, status: ClusterStatus) {
  await deps.db.write((tx) => tx.update(clusters).set({ status }).where(eq(clusters.id, clusterId)))
}
