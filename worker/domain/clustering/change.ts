// The one door for changes to clustering state outside the pipeline (refinement, a responder's
// merge / move / split / "not related"): each runs in a write that bumps the touched projects'
// engine versions in the same transaction, and says which clusters it touched so the engine's
// memory can forget exactly those after the commit.
import type { Database, Reader, Tx } from '../../db/client.js'
import { bumpEngineVersion } from './versions.js'

/**
 * What else must follow one cluster into another in the same transaction (the surge detector's
 * counters): handed in by whoever builds the engine, so clustering never imports the features
 * that listen to it.
 */
export type MergeHook = (x: Reader, projectId: string, sourceId: string, targetId: string) => Promise<void>

export class StateChange {
  readonly projects = new Set<string>()
  readonly clusters = new Set<string>()

  constructor(readonly onMerge?: MergeHook) {}

  /** This write changes the project's state, and these clusters' centroids (if any). */
  touch(projectId: string, ...clusterIds: (string | null | undefined)[]): void {
    this.projects.add(projectId)
    for (const id of clusterIds) if (id) this.clusters.add(id)
  }
}

export type StateWriter = <T>(job: (tx: Tx, change: StateChange) => Promise<T>) => Promise<T>

/**
 * A writer of clustering state on `db`. `committed` hears, after the commit, what changed and the
 * version each touched project moved to.
 */
export function stateWriter(
  db: Database,
  committed?: (change: StateChange, versions: Map<string, number>) => void,
  onMerge?: MergeHook,
): StateWriter {
  return async (job) => {
    const change = new StateChange(onMerge)
    const { value, versions } = await db.write(async (tx) => {
      const value = await job(tx, change)
      const versions = new Map<string, number>()
      for (const p of change.projects) versions.set(p, await bumpEngineVersion(tx, p))
      return { value, versions }
    })
    committed?.(change, versions)
    return value
  }
}
