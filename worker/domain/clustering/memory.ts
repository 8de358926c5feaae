// What the engine keeps in memory between pipeline batches: per project, document frequencies and
// recently used centroids. Only ever a copy of committed database state, trusted at one version of
// the project (engine_versions): a change made by this engine updates it precisely after its
// commit; any other change (another process, a settings edit, an erasure) moves the version past
// what the copy knows, and the copy is dropped.
import type { Script } from './crosslingual.js'

/** A centroid as stored in cluster_vectors (the same encoded text, so scores match exactly). */
export interface CentroidState {
  clusterId: string
  size: number
  /** encodeVec() of the summed member vectors (see vectors.ts) */
  encoded: string
  norm: number
  representativeId: string | null
  representativeScore: number
  keyTerms: string[]
  /** The script of the centroid's words, cached with the `encoded` text it was read from (batch.ts). */
  script?: readonly [encoded: string, script: Script]
}

export interface MemoryLimits {
  /** centroids kept per project (least recently used go first) */
  centroids: number
  /** document frequencies kept per project (all are dropped when it grows past this) */
  df: number
}

export const DEFAULT_MEMORY_LIMITS: MemoryLimits = { centroids: 20_000, df: 500_000 }

export class ProjectMemory {
  /** The project's document count (the `#docs` df row), once known. */
  docs: number | undefined
  readonly df = new Map<string, number>()
  private readonly centroids = new Map<string, CentroidState>()

  constructor(
    readonly projectId: string,
    public version: number,
    private readonly limits: MemoryLimits,
  ) {}

  centroid(id: string): CentroidState | undefined {
    const c = this.centroids.get(id)
    if (c) {
      // Most recently used last: a Map keeps insertion order.
      this.centroids.delete(id)
      this.centroids.set(id, c)
    }
    return c
  }

  hasCentroid(id: string): boolean {
    return this.centroids.has(id)
  }

  keepCentroid(c: CentroidState): void {
    this.centroids.delete(c.clusterId)
    this.centroids.set(c.clusterId, c)
    while (this.centroids.size > this.limits.centroids) this.centroids.delete(this.centroids.keys().next().value!)
  }

  forgetCentroid(id: string): void {
    this.centroids.delete(id)
  }

  keepDf(feature: string, df: number): void {
    if (this.df.size >= this.limits.df && !this.df.has(feature)) this.df.clear()
    this.df.set(feature, df)
  }

  get size() {
    return { centroids: this.centroids.size, df: this.df.size }
  }
}

export class EngineMemory {
  private readonly projects = new Map<string, ProjectMemory>()

  constructor(private readonly limits: MemoryLimits = DEFAULT_MEMORY_LIMITS) {}

  /** The project's memory as trusted at `version` (what the database holds now); empty if it knew another. */
  at(projectId: string, version: number): ProjectMemory {
    let m = this.projects.get(projectId)
    if (!m || m.version !== version)
      this.projects.set(projectId, (m = new ProjectMemory(projectId, version, this.limits)))
    return m
  }

  /** The project's memory if it is at `version`, without creating or resetting anything. */
  peek(projectId: string): ProjectMemory | undefined {
    return this.projects.get(projectId)
  }

  /**
   * After this engine committed a change that moved the project from `from` to `to`: applies it
   * (when the memory was at `from`, it knew everything before the change) or drops the memory.
   */
  committed(projectId: string, from: number, to: number, apply: (m: ProjectMemory) => void): void {
    const m = this.projects.get(projectId)
    if (!m) return
    if (m.version !== from) {
      this.projects.delete(projectId)
      return
    }
    apply(m)
    m.version = to
  }

  forget(projectId?: string): void {
    if (projectId === undefined) this.projects.clear()
    else this.projects.delete(projectId)
  }
}
