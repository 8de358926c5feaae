// The online clustering engine: public surface for the ingest path, responder actions,
// background refinement and the surge detector.
import type { Tx } from '../../db/client.js'
import { assignReport, DEFAULT_OPTIONS, type AssignInput as EngineInput, type EngineOptions } from './engine.js'

export { refineClusters, DEFAULT_REFINE, type RefineOptions, type RefineResult } from './refine.js'
export { mergeClustersByHand, moveReportByHand, splitReportsByHand, markNotRelated } from './corrections.js'
export { resolveCluster } from './merge.js'
export { clusterStats, type ClusterStats } from './stats.js'
export { DEFAULT_OPTIONS, type EngineOptions } from './engine.js'

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
  /** context.errors[].message */
  errors: string[]
  createdAt: number
}

export interface ClusterEngine {
  /** Picks (or creates) the cluster for a report and updates the cluster's counters. Returns its id. */
  assign(tx: Tx, input: AssignInput): Promise<string>
}

export function createClusterEngine(options: EngineOptions = DEFAULT_OPTIONS): ClusterEngine {
  return {
    async assign(tx, input) {
      const result = await assignReport(tx, input satisfies EngineInput, options)
      return result.clusterId
    },
  }
}

export function createDefaultEngine(): ClusterEngine {
  return createClusterEngine()
}
