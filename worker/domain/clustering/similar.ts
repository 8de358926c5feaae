// "Similar clusters" for the cluster page: other live clusters of the project ranked by the cosine
// between centroids — the same vectors the engine assigns with, so whatever the features join
// (words, character n-grams, CJK words, shared concepts, routes, error fingerprints) counts here.
// A cluster in the other script shares only concepts with this one, which the full cosine dilutes
// to near zero; such a pair is also scored on the cosine of its concept parts alone
// (crosslingual.ts), put on the full cosine's scale (× join threshold / cross threshold), as the
// engine does when it assigns.
import { findCandidates, loadCentroids, similarity } from './state.js'
import { all, type Executor } from './sql.js'
import { sql } from 'drizzle-orm'
import { keptApart, pairKey } from './corrections.js'
import type { Vec } from './vectors.js'
import { conceptCosine, scriptOf } from './crosslingual.js'
import { DEFAULT_OPTIONS } from './engine.js'

/** a concept cosine at the cross-script threshold ranks like a full cosine at the join threshold */
const CROSS_SCALE = DEFAULT_OPTIONS.threshold / DEFAULT_OPTIONS.crossThreshold

export interface SimilarCluster {
  clusterId: string
  similarity: number
  /** a responder said the two are different problems (or undid their merge) */
  keptApart: boolean
}

/**
 * Up to `limit` clusters most similar to `clusterId`, best first, above `floor`. Candidates come
 * through the inverted index over more of the centroid's features than one report's lookup uses
 * (a centroid carries many), then are scored exactly. Bounded work whatever the project's size.
 */
export async function similarClusters(
  x: Executor,
  clusterId: string,
  limit = 8,
  floor = 0.02,
): Promise<SimilarCluster[]> {
  const [c] = await loadCentroids(x, [clusterId])
  if (!c || c.norm <= 0) return []
  const [row] = await all<{ project_id: string }>(x, sql`SELECT project_id FROM clusters WHERE id = ${clusterId}`)
  if (!row) return []
  const unit: Vec = new Map()
  for (const [k, v] of c.sum) unit.set(k, v / c.norm)
  // the concept lookup adds clusters that score low on everything but concepts (the other language)
  const candidates = await findCandidates(
    x,
    row.project_id,
    unit,
    { queryFeatures: 24, perFeature: 24, candidates: 48, conceptFeatures: 16, conceptCandidates: 8 },
    clusterId,
  )
  const apart = await keptApart(x, row.project_id)
  const script = scriptOf(unit)
  const score = (o: (typeof candidates)[number]): number => {
    const full = similarity(unit, o)
    if (scriptOf(o.sum) === script) return full
    return Math.max(full, Math.min(1, conceptCosine(unit, o.sum) * CROSS_SCALE))
  }
  return candidates
    .map((o) => ({
      clusterId: o.clusterId,
      similarity: score(o),
      keptApart: apart.has(pairKey(clusterId, o.clusterId)),
    }))
    .filter((s) => s.similarity >= floor)
    .sort((a, b) => b.similarity - a.similarity || (a.clusterId < b.clusterId ? -1 : 1))
    .slice(0, limit)
}
