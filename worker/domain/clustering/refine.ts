// Background refinement (an interval on Node, a cron trigger on Workers). For clusters that
// changed since the last run: rebuild centroids with today's document frequencies (early reports
// were weighed with young statistics), refresh representative, title and key terms, then give
// each a second chance to merge with a cluster it has drifted towards. Never merges pairs a
// responder kept apart; never moves a pinned report out on its own (merges keep reports together).
import { sql } from 'drizzle-orm'
import type { Clock } from '../../clock.js'
import type { Database } from '../../db/client.js'
import { weigh } from './features.js'
import { DEFAULT_OPTIONS, thresholdFor, youthFactor, type EngineOptions } from './engine.js'
import { keptApart, pairKey } from './corrections.js'
import { conceptCoverage } from './concepts.js'
import { conceptCosine, scriptOf } from './crosslingual.js'
import { setTitle } from './counters.js'
import { mergeInto } from './merge.js'
import { all, run, type Executor } from './sql.js'
import { stateWriter, type StateChange, type StateWriter } from './change.js'
import { findCandidates, loadCentroids, readDf, reindexCentroid, type Centroid } from './state.js'
import { keyTermsOf } from './title.js'
import { cosine, fromJson, norm, prune, type Vec } from './vectors.js'

export interface RefineOptions {
  engine: EngineOptions
  /**
   * Merge when the smaller cluster's members are, on average, this close to the larger one's
   * centroid, as a fraction of the ingest threshold (the same question ingest asks, with mature
   * statistics; it does not grow easier as clusters grow, so merges do not snowball).
   */
  mergeFactor: number
  /** the merge factor while statistics are young (fades to mergeFactor over engine.youngDocs) */
  mergeFactorYoung: number
  /** a lone report may join its nearest cluster at this further fraction (fewer stray singletons) */
  singletonFactor: number
  /** most recent members used to rebuild a centroid */
  sample: number
  /** most clusters looked at per project and run (the rest wait for the next run) */
  maxClusters: number
  /** clusters handled per write transaction (each one holds the single writer, and reports wait behind it) */
  chunk: number
  /**
   * While the project is young (fewer than engine.youngDocs reports), two clusters of the same
   * script whose smaller one has at most `youngSize` reports also merge when the cosine of their
   * concept parts reaches this (0 disables): the first reports of an incident are few and worded
   * differently, and young statistics make their word features unreliable.
   */
  youngConcept: number
  youngSize: number
  /**
   * The young-cluster second look (0 disables): two clusters of at most `youngSize` reports each,
   * both first seen within `youngWindowMs` before the run, the older at least `youngAgeMs` ago (a
   * look once an incident has had minutes to gather reports, not within one burst), merge at this
   * fraction of the usual merge bar. Both must be small, so the merged cluster is too small to
   * attract further young merges beyond 2 × youngSize: no snowball.
   */
  youngFull: number
  youngWindowMs: number
  youngAgeMs: number
  /** 1: the young second look only for pairs whose centroids' strongest word is the same */
  youngTopTerm: number
  /** the larger of a young pair may have up to this many reports */
  youngLarge: number
  /**
   * The concept rule (`youngConcept`) only for pairs whose English word weight is at least this
   * much covered by the concept table (concepts.ts `conceptCoverage`, 0 = no gate): a concept part
   * that stands for one word of a title of product names says little.
   */
  youngCoverage: number
  /** 1: the concept rule (`youngConcept`) applies to young pairs by time (`young()`), not to a young project */
  youngTimed: number
}

export const DEFAULT_REFINE: RefineOptions = {
  engine: DEFAULT_OPTIONS,
  mergeFactor: 0.9,
  mergeFactorYoung: 1.1,
  singletonFactor: 0.6,
  youngConcept: 0,
  youngSize: 3,
  youngFull: 0,
  youngWindowMs: 30 * 60_000,
  youngAgeMs: 5 * 60_000,
  youngTopTerm: 0,
  youngLarge: 5,
  youngTimed: 0,
  youngCoverage: 0,
  sample: 64,
  maxClusters: 2000,
  chunk: 5,
}

export interface RefineResult {
  projects: number
  rebuilt: number
  merged: number
}

/**
 * `write` is the engine's writer of clustering state (ClusterEngine.refine passes its own): every
 * write here goes through it, so the project's engine version moves with each one.
 */
export async function refineClusters(
  db: Database,
  clock: Clock,
  projectId?: string,
  o: RefineOptions = DEFAULT_REFINE,
  write: StateWriter = stateWriter(db),
): Promise<RefineResult> {
  const projects = projectId
    ? [projectId]
    : (await all<{ project_id: string }>(db.orm, sql`SELECT id AS project_id FROM projects ORDER BY id`)).map(
        (r) => r.project_id,
      )
  const result: RefineResult = { projects: projects.length, rebuilt: 0, merged: 0 }
  for (const p of projects) {
    const r = await refineProject(db, write, clock, p, o)
    result.rebuilt += r.rebuilt
    result.merged += r.merged
  }
  return result
}

async function refineProject(
  db: Database,
  write: StateWriter,
  clock: Clock,
  projectId: string,
  o: RefineOptions,
): Promise<Omit<RefineResult, 'projects'>> {
  const now = clock.now()
  const [stats] = await all<{ refined_at: number }>(
    db.orm,
    sql`SELECT refined_at FROM clustering_stats WHERE project_id = ${projectId}`,
  )
  const since = stats?.refined_at ?? 0
  const dirty = await all<{ cluster_id: string; updated_at: number }>(
    db.orm,
    sql`SELECT cluster_id, updated_at FROM cluster_vectors WHERE project_id = ${projectId} AND updated_at > ${since}
        ORDER BY updated_at LIMIT ${o.maxClusters}`,
  )
  if (!dirty.length) return { rebuilt: 0, merged: 0 }
  const ids = dirty.map((d) => d.cluster_id)
  const messages = new Map<string, string>()
  let rebuilt = 0
  for (let i = 0; i < ids.length; i += o.chunk) {
    await write(async (tx, change) => {
      for (const id of ids.slice(i, i + o.chunk)) {
        const msg = await rebuildCentroid(tx, change, projectId, id, now, o)
        if (msg !== null) {
          messages.set(id, msg)
          rebuilt++
        }
      }
    })
  }
  let merged = 0
  // The young second look also revisits small recent clusters that did not change since the last
  // run (a fragment of an incident that stopped growing), bounded by size and window.
  const look = [...ids]
  if (o.youngFull > 0 || o.youngTimed > 0) {
    const have = new Set(ids)
    for (const r of await all<{ id: string }>(
      db.orm,
      sql`SELECT c.id FROM clusters c JOIN cluster_vectors v ON v.cluster_id = c.id
          WHERE c.project_id = ${projectId} AND c.first_seen_at >= ${now - o.youngWindowMs}
            AND c.first_seen_at <= ${now - o.youngAgeMs}
            AND c.report_count <= ${o.youngSize} ORDER BY c.first_seen_at LIMIT ${o.maxClusters}`,
    ))
      if (!have.has(r.id)) look.push(r.id)
  }
  for (let i = 0; i < look.length; i += o.chunk) {
    merged += await write(async (tx, change) => {
      const apart = await keptApart(tx, projectId)
      const { docs } = await readDf(tx, projectId, [])
      let n = 0
      for (const id of look.slice(i, i + o.chunk))
        n += await secondChance(tx, change, projectId, id, messages.get(id) ?? '', apart, docs, now, o)
      return n
    })
  }
  // A truncated run resumes after the last cluster it looked at.
  const until =
    dirty.length >= o.maxClusters
      ? dirty[dirty.length - 1]!.updated_at
      : Math.max(now, dirty[dirty.length - 1]!.updated_at)
  await db.write((tx) =>
    run(
      tx,
      sql`INSERT INTO clustering_stats (project_id, refined_at) VALUES (${projectId}, ${until})
          ON CONFLICT (project_id) DO UPDATE SET refined_at = excluded.refined_at`,
    ),
  )
  return { rebuilt, merged }
}

/** Rebuilds a centroid from its members with current df. Returns the representative's message. */
async function rebuildCentroid(
  x: Executor,
  change: StateChange,
  projectId: string,
  clusterId: string,
  now: number,
  o: RefineOptions,
): Promise<string | null> {
  const [c] = await loadCentroids(x, [clusterId])
  if (!c) return null
  change.touch(projectId, clusterId)
  const members = await all<{ report_id: string; bag: string }>(
    x,
    sql`SELECT report_id, bag FROM report_features WHERE cluster_id = ${clusterId}
        ORDER BY created_at DESC LIMIT ${o.sample}`,
  )
  if (!members.length) return null
  const bags = members.map((m) => fromJson(m.bag))
  const features = new Set<string>()
  for (const b of bags) for (const f of b.keys()) features.add(f)
  const { docs, df } = await readDf(x, projectId, [...features])
  const units = bags.map((b) => weigh(b, Math.max(docs, 1), (f) => df.get(f) ?? 1, o.engine.weights))
  const sum: Vec = new Map()
  for (const u of units) for (const [k, v] of u) sum.set(k, (sum.get(k) ?? 0) + v)
  prune(sum)
  const sumNorm = norm(sum)
  let rep = 0
  let repScore = -1
  units.forEach((u, i) => {
    const s = cosine(u, 1, sum, sumNorm)
    if (s > repScore) {
      repScore = s
      rep = i
    }
  })
  const [repRow] = await all<{ message: string }>(
    x,
    sql`SELECT message FROM reports WHERE id = ${members[rep]!.report_id}`,
  )
  const message = repRow?.message ?? ''
  c.sum = sum
  c.size = members.length // the number of unit vectors in the sum
  c.representativeId = members[rep]!.report_id
  c.representativeScore = repScore
  c.keyTerms = keyTermsOf(sum, message)
  await reindexCentroid(x, projectId, c, now)
  if (repRow) await setTitle(x, clusterId, message, c.keyTerms)
  return message
}

/** The strongest word feature of a centroid (its first key term). */
function topWord(sum: Vec): string | undefined {
  let best: string | undefined
  let w = 0
  for (const [k, v] of sum) if (k.startsWith('w:') && v > w) [best, w] = [k, v]
  return best
}

/** Looks for the most similar other cluster; merges the smaller into the larger if close enough. */
async function secondChance(
  x: Executor,
  change: StateChange,
  projectId: string,
  clusterId: string,
  message: string,
  apart: Set<string>,
  docs: number,
  now: number,
  o: RefineOptions,
): Promise<number> {
  const [c] = await loadCentroids(x, [clusterId])
  if (!c) return 0 // merged away earlier in this run
  const unit: Vec = new Map()
  for (const [k, v] of c.sum) unit.set(k, v / c.norm)
  const candidates = await findCandidates(x, projectId, unit, o.engine.lookup, clusterId)
  // Weak merges are trusted only once statistics are mature.
  const maturity = Math.min(1, docs / o.engine.youngDocs)
  const factor = o.mergeFactorYoung + (o.mergeFactor - o.mergeFactorYoung) * maturity
  const base = thresholdFor(message, o.engine) * youthFactor(docs, o.engine) * factor
  let best: Centroid | undefined
  let bestRatio = 1
  const script = scriptOf(c.sum)
  const firstSeen = new Map<string, number>()
  if ((o.youngFull > 0 || o.youngTimed > 0) && c.size <= o.youngLarge) {
    const ids = [clusterId, ...candidates.filter((k) => k.size <= o.youngLarge).map((k) => k.clusterId)]
    for (const r of await all<{ id: string; first_seen_at: number }>(
      x,
      sql`SELECT c.id, c.first_seen_at FROM json_each(${JSON.stringify(ids)}) j JOIN clusters c ON c.id = j.value`,
    ))
      firstSeen.set(r.id, r.first_seen_at)
  }
  const young = (a: Centroid, b: Centroid): boolean => {
    const fa = firstSeen.get(a.clusterId)
    const fb = firstSeen.get(b.clusterId)
    if (
      fa === undefined ||
      fb === undefined ||
      Math.min(a.size, b.size) > o.youngSize ||
      Math.max(a.size, b.size) > o.youngLarge
    )
      return false
    return Math.min(fa, fb) >= now - o.youngWindowMs && Math.min(fa, fb) <= now - o.youngAgeMs
  }
  for (const other of candidates) {
    if (apart.has(pairKey(clusterId, other.clusterId))) continue
    const [small, large] = c.size <= other.size ? [c, other] : [other, c]
    // mean cosine of the smaller cluster's members to the larger centroid
    const s = (cosine(small.sum, small.norm, large.sum, large.norm) * small.norm) / small.size
    // Stray singletons are absorbed only once statistics are mature enough to trust a weak match.
    const need =
      base *
      (small.size <= 1 ? 1 - (1 - o.singletonFactor) * maturity : 1) *
      (o.youngFull > 0 && young(c, other) && (!o.youngTopTerm || topWord(c.sum) === topWord(other.sum))
        ? o.youngFull
        : 1)
    let ratio = s / need
    // A cluster in the other script: compared on concepts alone (crosslingual.ts), centroid to centroid.
    const otherScript = scriptOf(other.sum)
    if (o.engine.crossThreshold > 0 && script !== otherScript)
      ratio = Math.max(ratio, conceptCosine(c.sum, other.sum) / o.engine.crossThreshold)
    else if (
      o.youngConcept > 0 &&
      (o.youngTimed > 0 ? young(c, other) : maturity < 1 && small.size <= o.youngSize) &&
      (!o.youngCoverage || Math.min(conceptCoverage(c.sum), conceptCoverage(other.sum)) >= o.youngCoverage)
    )
      ratio = Math.max(ratio, conceptCosine(c.sum, other.sum) / o.youngConcept)
    if (ratio >= bestRatio) {
      bestRatio = ratio
      best = other
    }
  }
  if (!best) return 0
  const [source, target] =
    c.size > best.size || (c.size === best.size && c.clusterId < best.clusterId) ? [best, c] : [c, best]
  await mergeInto(x, change, projectId, source.clusterId, target.clusterId, now)
  return 1
}
