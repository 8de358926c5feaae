// Online assignment for a batch of stored reports (the report pipeline, worker/domain/pipeline).
// Each report joins the most similar cluster centroid found through the inverted index, or starts
// a new cluster — exactly the question the engine has always asked, one report after another in
// arrival order — but the state the batch needs (document frequencies, the index postings of its
// features, candidate centroids) is read in a few statements up front, changed in memory report by
// report, and written back in a few multi-row statements in the pipeline's one transaction.
//
// A batch of one report reads exactly what a single lookup would and decides exactly as before.
// In a larger batch a report also sees the clusters earlier reports of the batch created or
// changed (they are laid over what was read); the one approximation is that postings are read
// for each feature a little beyond what a lookup uses (POSTING_SLACK), so a cluster whose weight
// drops inside the batch lets the next one in only if that one was read.
import type { InStatement, InValue } from '@libsql/client'
import type { Reader } from '../../db/client.js'
import { queryRows } from '../../db/raw-sql.js'
import { newId } from '../shared/index.js'
import { batchStatements, countReport, readKnownReporters, type ChangedCentroid, type Counts } from './batch-write.js'
import { featuresOf, thresholdFor, youthFactor, type AssignInput, type EngineOptions } from './engine.js'
import { isIndexed, weigh, type Bag } from './features.js'
import type { CentroidState, ProjectMemory } from './memory.js'
import { DOCS_KEY, queryOf, rankCandidates, type CentroidRow } from './state.js'
import { encodedConceptCosine, scriptOf, type Script } from './crosslingual.js'
import { keyTermsOf, summaryTitle } from './title.js'
import { addInto, decodeVec, dotEncoded, encodeVec, norm, toJson, type Vec } from './vectors.js'

export interface BatchReport extends AssignInput {
  reportId: string
  projectId: string
  createdAt: number
}

export interface Assignment {
  reportId: string
  clusterId: string
  created: boolean
  similarity: number
  /** The cluster's title when this report set it (a new cluster, or a better representative). */
  title?: string
}

type Posting = [clusterId: string, weight: number]

const NO_CONCEPTS: Vec = new Map()

/**
 * A centroid's script, kept with the encoded text it came from: a candidate in the report's own
 * script skips the concept pass over its ~200 entries (most candidates, most of the time).
 */
function centroidScript(c: CentroidState): Script {
  if (c.script && c.script[0] === c.encoded) return c.script[1]
  const script = encodedConceptCosine(c.encoded, NO_CONCEPTS).script
  c.script = [c.encoded, script]
  return script
}

/** Postings read per feature beyond what a lookup uses, so changes inside a batch can reorder them. */
const POSTING_SLACK = 8

export interface BatchOptions {
  /** Called every few reports: the pipeline lets other work (HTTP requests) run in between. */
  pause?: () => Promise<void>
  /** Reports between pauses. */
  pauseEvery?: number
}

export class ClusterBatch {
  /** The version of the project's engine state the batch was computed from. */
  readonly version: number
  private readonly df = new Map<string, number>()
  private docs = 0
  private readonly dfDelta = new Map<string, number>()
  private docsDelta = 0
  /** Centroids read (null: none stored) and changed in this batch, by cluster id. */
  private readonly centroids = new Map<string, CentroidState | null>()
  private readonly changed = new Map<string, ChangedCentroid>()
  private readonly postings = new Map<string, Posting[]>()
  /** feature → cluster → weight written by this batch (null: the posting is removed) */
  private readonly postingChanges = new Map<string, Map<string, number | null>>()
  private readonly counts = new Map<string, Counts>()
  /** Which of the batch's (existing cluster, reporter) pairs are already counted (readKnownReporters). */
  private readonly known = new Set<string>()
  private readonly features: InValue[][] = []
  readonly assignments: Assignment[] = []

  constructor(
    private readonly reader: Reader,
    private readonly memory: ProjectMemory,
    readonly projectId: string,
    private readonly o: EngineOptions,
  ) {
    this.version = memory.version
  }

  /** Assigns the reports in order. */
  async assign(reports: BatchReport[], opts: BatchOptions = {}): Promise<Assignment[]> {
    const bags = reports.map((r) => featuresOf(r))
    await this.loadDf(bags)
    await this.prefetch(bags)
    const every = opts.pauseEvery ?? 16
    for (let i = 0; i < reports.length; i++) {
      if (opts.pause && i > 0 && i % every === 0) await opts.pause()
      this.assignments.push(await this.assignOne(reports[i]!, bags[i]!))
    }
    await readKnownReporters(this.reader, this.counts, this.known)
    return this.assignments
  }

  private dfOf(f: string): number {
    return (this.df.get(f) ?? 0) + (this.dfDelta.get(f) ?? 0)
  }

  private async assignOne(r: BatchReport, bag: Bag): Promise<Assignment> {
    // Count the document in first, as the engine always has (its own words are in the df it is weighed with).
    this.docsDelta++
    for (const f of bag.keys()) this.dfDelta.set(f, (this.dfDelta.get(f) ?? 0) + 1)
    const docs = this.docs + this.docsDelta
    const unit = weigh(bag, docs, (f) => this.dfOf(f) || 1, this.o.weights)

    const ids = await this.candidates(unit)
    let best: CentroidState | undefined
    let bestSim = -1
    let bestRatio = -1
    const need = thresholdFor(r.message, this.o) * youthFactor(docs, this.o)
    const script = this.o.crossThreshold > 0 ? scriptOf(unit) : undefined
    for (const id of ids) {
      const c = this.centroids.get(id)
      if (!c) continue
      let s = c.norm > 0 ? dotEncoded(c.encoded, unit) / c.norm : 0
      let ratio = s / need
      if (script && centroidScript(c) !== script) {
        // Across scripts only concepts can meet: their own cosine, against their own threshold.
        const cross = encodedConceptCosine(c.encoded, unit)
        if (cross.cosine / this.o.crossThreshold > ratio) {
          ratio = cross.cosine / this.o.crossThreshold
          s = cross.cosine
        }
      }
      if (ratio > bestRatio) {
        bestRatio = ratio
        bestSim = s
        best = c
      }
    }
    const joins = best !== undefined && bestRatio >= 1
    let clusterId: string
    let title: string | undefined
    if (joins) {
      const c = best!
      clusterId = c.clusterId
      const sum = decodeVec(c.encoded)
      const dropped = addInto(sum, unit)
      const next: CentroidState = { ...c, size: c.size + 1 }
      // Small clusters get a better title at once; bigger ones are retitled by refinement.
      if (next.size <= 8 && bestSim > c.representativeScore) {
        next.representativeId = r.reportId
        next.representativeScore = bestSim
        next.keyTerms = keyTermsOf(sum, r.message)
        title = summaryTitle(r.message, next.keyTerms)
      }
      this.save(next, sum, unit.keys(), dropped, r.createdAt)
    } else {
      clusterId = newId('clu', r.createdAt)
      const sum: Vec = new Map(unit)
      const keyTerms = keyTermsOf(sum, r.message)
      title = summaryTitle(r.message, keyTerms)
      const c: CentroidState = {
        clusterId,
        size: 1,
        encoded: '',
        norm: 1,
        representativeId: r.reportId,
        representativeScore: 0,
        keyTerms,
      }
      this.save(c, sum, unit.keys(), [], r.createdAt)
    }
    countReport(this.counts, clusterId, r, !joins, title)
    this.features.push([r.reportId, r.projectId, clusterId, toJson(bag), r.createdAt])
    return { reportId: r.reportId, clusterId, created: !joins, similarity: bestSim, title }
  }

  /** Records a changed centroid and its postings, as saveCentroid() writes them. */
  private save(c: CentroidState, sum: Vec, touched: Iterable<string>, dropped: string[], at: number): void {
    c.norm = norm(sum)
    c.encoded = encodeVec(sum)
    this.centroids.set(c.clusterId, c)
    this.changed.set(c.clusterId, { state: c, updatedAt: at })
    const setPosting = (f: string, w: number | null) => {
      let m = this.postingChanges.get(f)
      if (!m) this.postingChanges.set(f, (m = new Map()))
      m.set(c.clusterId, w)
    }
    for (const f of dropped) if (isIndexed(f)) setPosting(f, null)
    for (const f of touched) {
      if (!isIndexed(f)) continue
      const w = sum.get(f)
      setPosting(f, w === undefined ? null : w / c.norm)
    }
  }

  /**
   * The lookup the engine makes: strongest indexed features → strongest clusters per feature →
   * best by approximate score.
   */
  private async candidates(unit: Vec): Promise<string[]> {
    const query = queryOf(unit, this.o.lookup)
    if (!query.length) return []
    const missing = query.map(([f]) => f).filter((f) => !this.postings.has(f))
    if (missing.length) await this.loadPostings(missing)
    const ids = this.approximate(query, true)
    const unknown = ids.filter((id) => !this.centroids.has(id))
    if (unknown.length) await this.loadCentroids(unknown)
    return ids
  }

  private approximate(query: [string, number][], withChanges: boolean): string[] {
    const scores = new Map<string, number>()
    const conceptScores = new Map<string, number>()
    for (const [f, w] of query) {
      const concept = f.startsWith('c:')
      for (const [id, weight] of this.topPostings(f, withChanges)) {
        scores.set(id, (scores.get(id) ?? 0) + w * weight)
        if (concept) conceptScores.set(id, (conceptScores.get(id) ?? 0) + w * weight)
      }
    }
    return rankCandidates(scores, conceptScores, this.o.lookup)
  }

  private topPostings(f: string, withChanges: boolean): Posting[] {
    const base = this.postings.get(f) ?? []
    const changes = withChanges ? this.postingChanges.get(f) : undefined
    const per = this.o.lookup.perFeature
    if (!changes) return base.length > per ? base.slice(0, per) : base
    // Changed postings first: rows written later sort first among equal weights, as in the index.
    const out: Posting[] = []
    for (const [id, w] of changes) if (w !== null) out.push([id, w])
    for (const p of base) if (!changes.has(p[0])) out.push(p)
    out.sort((a, b) => b[1] - a[1])
    return out.length > per ? out.slice(0, per) : out
  }

  /**
   * Reads, before the loop, what the batch's lookups will most likely need: a few statements
   * instead of one per report.
   */
  private async prefetch(bags: Bag[]): Promise<void> {
    const queries: [string, number][][] = []
    const features = new Set<string>()
    bags.forEach((bag, i) => {
      const unit = weigh(bag, this.docs + i + 1, (f) => this.dfOf(f) + 1, this.o.weights)
      const q = queryOf(unit, this.o.lookup)
      queries.push(q)
      for (const [f] of q) features.add(f)
    })
    await this.loadPostings([...features].filter((f) => !this.postings.has(f)))
    const ids = new Set<string>()
    for (const q of queries) for (const id of this.approximate(q, false)) if (!this.centroids.has(id)) ids.add(id)
    await this.loadCentroids([...ids])
  }

  private trusted(): boolean {
    // Only what was read while the memory still stood at the batch's version may be kept there.
    return this.memory.version === this.version
  }

  private async loadDf(bags: Bag[]): Promise<void> {
    const features = new Set<string>()
    for (const b of bags) for (const f of b.keys()) features.add(f)
    const missing: string[] = []
    for (const f of features) {
      const known = this.memory.df.get(f)
      if (known === undefined) missing.push(f)
      else this.df.set(f, known)
    }
    if (this.memory.docs !== undefined) this.docs = this.memory.docs
    else missing.push(DOCS_KEY)
    for (let i = 0; i < missing.length; i += 2000) {
      const chunk = missing.slice(i, i + 2000)
      const rows = await queryRows<{ feature: string; df: number }>(this.reader, {
        // CROSS JOIN pins json_each as the outer loop (see readDf in state.ts).
        sql: `SELECT d.feature, d.df FROM json_each(?) j
              CROSS JOIN clustering_df d ON d.project_id = ? AND d.feature = j.value`,
        args: [JSON.stringify(chunk), this.projectId],
      })
      const found = new Map(rows.map((r) => [r.feature, Number(r.df)]))
      const keep = this.trusted()
      for (const f of chunk) {
        const df = found.get(f) ?? 0
        if (f === DOCS_KEY) {
          this.docs = df
          if (keep) this.memory.docs = df
        } else {
          this.df.set(f, df)
          if (keep) this.memory.keepDf(f, df)
        }
      }
    }
  }

  private async loadPostings(features: string[]): Promise<void> {
    for (let i = 0; i < features.length; i += 500) {
      const chunk = features.slice(i, i + 500)
      const rows = await queryRows<{ i: number; cluster_id: string; weight: number }>(this.reader, {
        // The strongest postings of each feature through the (project, feature, weight) index, in
        // the order the engine's single lookup reads them (equal weights: newest row first).
        sql: `SELECT j.key AS i, p.cluster_id, p.weight FROM json_each(?) j
              CROSS JOIN cluster_postings p ON p.rowid IN (
                SELECT r.rowid FROM cluster_postings r WHERE r.project_id = ? AND r.feature = j.value
                ORDER BY r.weight DESC LIMIT ?)
              ORDER BY j.key, p.weight DESC, p.rowid DESC`,
        args: [JSON.stringify(chunk), this.projectId, this.o.lookup.perFeature + POSTING_SLACK],
      })
      for (const f of chunk) this.postings.set(f, [])
      for (const r of rows) this.postings.get(chunk[Number(r.i)]!)!.push([r.cluster_id, Number(r.weight)])
    }
  }

  private async loadCentroids(ids: string[]): Promise<void> {
    const missing: string[] = []
    for (const id of ids) {
      if (this.centroids.has(id)) continue
      const known = this.memory.centroid(id)
      if (known) this.centroids.set(id, known)
      else missing.push(id)
    }
    for (let i = 0; i < missing.length; i += 500) {
      const chunk = missing.slice(i, i + 500)
      const rows = await queryRows<CentroidRow>(this.reader, {
        sql: `SELECT v.cluster_id, v.size, v.vector, v.norm, v.representative_id, v.representative_score, v.key_terms
              FROM json_each(?) j CROSS JOIN cluster_vectors v ON v.cluster_id = j.value`,
        args: [JSON.stringify(chunk)],
      })
      const keep = this.trusted()
      for (const r of rows) {
        const c: CentroidState = {
          clusterId: r.cluster_id,
          size: Number(r.size),
          encoded: r.vector,
          norm: Number(r.norm),
          representativeId: r.representative_id,
          representativeScore: Number(r.representative_score),
          keyTerms: JSON.parse(r.key_terms) as string[],
        }
        this.centroids.set(c.clusterId, c)
        if (keep) this.memory.keepCentroid(c)
      }
      for (const id of chunk) if (!this.centroids.has(id)) this.centroids.set(id, null)
    }
  }

  /** Clusters this batch created. */
  get createdClusters(): string[] {
    return [...this.counts].filter(([, k]) => k.createdAt !== undefined).map(([id]) => id)
  }

  /** The batch's writes (batch-write.ts): new clusters first, then the rest, in the pipeline's transaction. */
  statements(): { clusters: InStatement[]; rest: InStatement[] } {
    return batchStatements({
      projectId: this.projectId,
      counts: this.counts,
      known: this.known,
      changed: this.changed,
      postingChanges: this.postingChanges,
      features: this.features,
      dfDelta: this.dfDelta,
      docsDelta: this.docsDelta,
    })
  }

  /** After the batch committed: the memory learns what the batch wrote. */
  applyTo(m: ProjectMemory): void {
    if (m.docs !== undefined) m.docs += this.docsDelta
    for (const [f, n] of this.dfDelta) {
      const known = m.df.get(f)
      if (known !== undefined) m.keepDf(f, known + n)
    }
    for (const { state } of this.changed.values()) m.keepCentroid(state)
  }
}
