// The online clustering engine: one object per app, built with the app's dependencies, through
// which every change to clustering state goes — the pipeline's batches, background refinement and
// responders' corrections — so its memory of that state (memory.ts) stays true.
import type { Clock } from '../../clock.js'
import type { Database, Reader } from '../../db/client.js'
import { clearHumanTitle, setHumanTitle } from './counters.js'
import { ClusterBatch } from './batch.js'
import { stateWriter, type MergeHook, type StateWriter } from './change.js'
import {
  markNotRelated,
  mergeClustersByHand,
  mergeManyByHand,
  moveReportByHand,
  splitReportsByHand,
  undoMergeByHand,
  type MergedGroup,
} from './corrections.js'
import { DEFAULT_OPTIONS, type EngineOptions } from './engine.js'
import { DEFAULT_MEMORY_LIMITS, EngineMemory, type MemoryLimits } from './memory.js'
import { DEFAULT_REFINE, refineClusters, type RefineOptions, type RefineResult } from './refine.js'

export { DEFAULT_REFINE, type RefineOptions, type RefineResult } from './refine.js'
export { resolveCluster } from './merge.js'
export { clusterStats, type ClusterStats } from './stats.js'
export { similarClusters, type SimilarCluster } from './similar.js'
export { UNDO_MS, UndoRefused, type MergedGroup } from './corrections.js'
export { DEFAULT_OPTIONS, type EngineOptions } from './engine.js'
export { ClusterBatch, type Assignment, type BatchReport } from './batch.js'
export { engineVersions, bumpEngineVersion } from './versions.js'

export interface EngineSettings {
  options?: EngineOptions
  refine?: Partial<RefineOptions>
  memory?: MemoryLimits
}

export class ClusterEngine {
  readonly options: EngineOptions
  readonly refineOptions: RefineOptions
  readonly memory: EngineMemory
  /** Every change to clustering state other than a pipeline batch goes through this writer. */
  readonly write: StateWriter

  constructor(
    /** `onMerge`: what follows a merged cluster into its target in the same transaction (surge counters). */
    private readonly deps: { db: Database; clock: Clock; onMerge: MergeHook },
    settings: EngineSettings = {},
  ) {
    this.options = settings.options ?? DEFAULT_OPTIONS
    this.refineOptions = { ...DEFAULT_REFINE, engine: this.options, ...settings.refine }
    this.memory = new EngineMemory(settings.memory ?? DEFAULT_MEMORY_LIMITS)
    this.write = stateWriter(
      deps.db,
      (change, versions) => {
        for (const [projectId, version] of versions) {
          this.memory.committed(projectId, version - 1, version, (m) => {
            for (const id of change.clusters) m.forgetCentroid(id)
          })
        }
      },
      deps.onMerge,
    )
  }

  /**
   * A pipeline batch for one project, computed from what the engine remembers at `version` plus
   * reads through `reader`.
   */
  batch(reader: Reader, projectId: string, version: number): ClusterBatch {
    return new ClusterBatch(reader, this.memory.at(projectId, version), projectId, this.options)
  }

  /** The pipeline's transaction with this batch committed, moving the project to `version`. */
  committed(batch: ClusterBatch, version: number): void {
    this.memory.committed(batch.projectId, batch.version, version, (m) => batch.applyTo(m))
  }

  /** Background refinement (Node interval, Workers cron): see refine.ts. */
  refine(projectId?: string, o: RefineOptions = this.refineOptions): Promise<RefineResult> {
    return refineClusters(this.deps.db, this.deps.clock, projectId, o, this.write)
  }

  /** A responder merges one cluster into another. Returns the cluster everything now lives in. */
  merge(sourceId: string, targetId: string, actorId: string | null): Promise<string> {
    return this.write((tx, change) =>
      mergeClustersByHand(tx, change, sourceId, targetId, { actorId, now: this.deps.clock.now() }),
    )
  }

  /** A responder merges several clusters into one in one action that can be undone for a while (corrections.ts). */
  mergeMany(sourceIds: string[], targetId: string, actorId: string | null): Promise<MergedGroup> {
    return this.write((tx, change) =>
      mergeManyByHand(tx, change, sourceIds, targetId, { actorId, now: this.deps.clock.now() }),
    )
  }

  /** Takes a merge group back (throws UndoRefused when it cannot). */
  undoMerge(
    groupId: string,
    actorId: string | null,
  ): Promise<{ targetId: string; restored: string[]; projectId: string }> {
    return this.write((tx, change) => undoMergeByHand(tx, change, groupId, { actorId, now: this.deps.clock.now() }))
  }

  /** A responder's title (kept through refinement and ingest), or null to go back to the automatic one. */
  rename(clusterId: string, title: string | null): Promise<void> {
    return this.write(async (tx) => {
      if (title === null) await clearHumanTitle(tx, clusterId)
      else await setHumanTitle(tx, clusterId, title)
    })
  }

  /**
   * A responder moves reports to another cluster, or into a new one (titled `newTitle`). Each
   * report is pinned where it was put. Returns the destination cluster.
   */
  move(
    reportIds: string[],
    target: { toClusterId?: string; newTitle?: string },
    actorId: string | null,
  ): Promise<string> {
    return this.write(async (tx, change) => {
      const a = { actorId, now: this.deps.clock.now() }
      if (target.toClusterId) {
        for (const id of reportIds) await moveReportByHand(tx, change, id, target.toClusterId, a, this.options)
        return target.toClusterId
      }
      const created = await splitReportsByHand(tx, change, reportIds, a, this.options)
      if (target.newTitle) await setHumanTitle(tx, created, target.newTitle)
      return created
    })
  }

  /** "These are different problems": refinement never merges the two. */
  markNotRelated(clusterA: string, clusterB: string, actorId: string | null): Promise<void> {
    return this.write((tx, change) =>
      markNotRelated(tx, change, clusterA, clusterB, { actorId, now: this.deps.clock.now() }),
    )
  }
}
export { browserOf } from './browser.js'
export { recount, setTitle } from './counters.js'
export { summaryText } from './title.js'
