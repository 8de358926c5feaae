import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { clusters, reports } from '../../db/schema/index.js'
import { newId } from '../ids.js'

/** What the ingest path hands the engine for each new report (already inserted, same transaction). */
export interface AssignInput {
  reportId: string
  projectId: string
  message: string
  route?: string | null
  release?: string | null
  category?: string | null
  reporterId?: string | null
  userAgent?: string | null
  locale?: string | null
  errors: string[]
  createdAt: number
}

export interface ClusterEngine {
  /** Picks (or creates) the cluster for a report and updates the cluster's counters. Returns its id. */
  assign(tx: Tx, input: AssignInput): Promise<string>
}

const normalize = (text: string) => text.toLowerCase().replace(/\d+/g, '0').replace(/\s+/g, ' ').trim()

/**
 * First grouping: reports whose normalized text is identical share a cluster. The real engine
 * (multilingual, fuzzy, fast candidate lookup) replaces this behind the same interface.
 */
export function createExactMatchEngine(): ClusterEngine {
  return {
    async assign(tx, input) {
      const title = input.message.trim().slice(0, 140)
      const key = normalize(title)
      const existing = await tx
        .select({ id: clusters.id })
        .from(clusters)
        .where(and(eq(clusters.projectId, input.projectId), sql`lower(${clusters.title}) = ${key}`))
        .get()
      if (!existing) {
        const id = newId('clu', input.createdAt)
        await tx.insert(clusters).values({
          id,
          projectId: input.projectId,
          title,
          reportCount: 1,
          reporterCount: 1,
          firstSeenAt: input.createdAt,
          lastSeenAt: input.createdAt,
          createdAt: input.createdAt,
        })
        return id
      }
      const seenBefore = input.reporterId
        ? await tx
            .select({ id: reports.id })
            .from(reports)
            .where(and(eq(reports.clusterId, existing.id), eq(reports.reporterId, input.reporterId)))
            .get()
        : undefined
      await tx
        .update(clusters)
        .set({
          reportCount: sql`${clusters.reportCount} + 1`,
          reporterCount: sql`${clusters.reporterCount} + ${seenBefore ? 0 : 1}`,
          lastSeenAt: sql`max(${clusters.lastSeenAt}, ${input.createdAt})`,
        })
        .where(eq(clusters.id, existing.id))
      return existing.id
    },
  }
}

export function createDefaultEngine(): ClusterEngine {
  return createExactMatchEngine()
}
