// Online assignment: each report joins the most similar cluster centroid found through the
// inverted index, or starts a new cluster. Runs inside the ingest write transaction.
import { sql } from 'drizzle-orm'
import { DEFAULT_WEIGHTS, reportBag, weigh, type Bag, type Weights } from './features.js'
import { countReportIn, createClusterRow, setTitle, type ReportFacts } from './counters.js'
import { run, type Executor } from './sql.js'
import { findCandidates, readAndBumpDf, saveCentroid, similarity, type Centroid, type LookupOptions } from './state.js'
import { keyTermsOf } from './title.js'
import { addInto, toJson, type Vec } from './vectors.js'

export interface EngineOptions {
  weights: Weights
  /** minimum cosine to join a cluster, for Latin-script text */
  threshold: number
  /** the same for CJK text, whose character n-gram vectors are denser and score lower */
  thresholdCjk: number
  lookup: LookupOptions
  /**
   * While a project's statistics are young (few documents), idf cannot yet tell common words from
   * telling ones; the threshold is raised by up to this factor, fading out over `youngDocs`
   * documents. Refinement later merges what was kept apart, with mature statistics.
   */
  youth: number
  youngDocs: number
}

export const DEFAULT_OPTIONS: EngineOptions = {
  weights: { ...DEFAULT_WEIGHTS, g: 2 },
  threshold: 0.3,
  thresholdCjk: 0.12,
  lookup: { queryFeatures: 8, perFeature: 16, candidates: 16 },
  youth: 0.4,
  youngDocs: 1000,
}

export function youthFactor(docs: number, o: EngineOptions): number {
  return 1 + o.youth * Math.max(0, 1 - docs / o.youngDocs)
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu
const LETTER = /\p{L}/gu

/** Threshold blended by the share of CJK letters in the message. */
export function thresholdFor(message: string, o: EngineOptions): number {
  const letters = message.match(LETTER)?.length ?? 0
  if (!letters) return o.threshold
  const share = (message.match(CJK_CHAR)?.length ?? 0) / letters
  return o.threshold * (1 - share) + o.thresholdCjk * share
}

/** Features of a report; a report with no usable words still groups with its exact twins. */
export function featuresOf(input: AssignInput): Bag {
  const bag = reportBag(input)
  if (![...bag.keys()].some((k) => k.startsWith('w:') || k.startsWith('g:'))) {
    bag.set('w:∅' + input.message.replace(/\s+/gu, ' ').trim().toLowerCase().slice(0, 40), 1)
  }
  return bag
}

export interface AssignInput extends ReportFacts {
  category?: string | null
  /** context.errors[].message */
  errors?: readonly string[] | null
}

export interface Assignment {
  clusterId: string
  created: boolean
  similarity: number
}

export async function assignReport(x: Executor, input: AssignInput, o: EngineOptions = DEFAULT_OPTIONS): Promise<Assignment> {
  const bag = featuresOf(input)
  const { docs, df } = await readAndBumpDf(x, input.projectId, [...bag.keys()])
  const unit = weigh(bag, docs, (f) => df.get(f) ?? 1, o.weights)
  const candidates = await findCandidates(x, input.projectId, unit, o.lookup)
  let best: Centroid | undefined
  let bestSim = -1
  for (const c of candidates) {
    const s = similarity(unit, c)
    if (s > bestSim) {
      bestSim = s
      best = c
    }
  }
  const joins = best && bestSim >= thresholdFor(input.message, o) * youthFactor(docs, o)
  let clusterId: string
  if (joins) {
    clusterId = best!.clusterId
    const dropped = addInto(best!.sum, unit)
    best!.size++
    // Small clusters get a better title at once; bigger ones are retitled by refinement, which
    // keeps an extra UPDATE off the ingest path.
    if (best!.size <= 8 && bestSim > best!.representativeScore) {
      best!.representativeId = input.reportId
      best!.representativeScore = bestSim
      best!.keyTerms = keyTermsOf(best!.sum, input.message)
      await setTitle(x, clusterId, input.message)
    }
    await saveCentroid(x, input.projectId, best!, input.createdAt, unit.keys(), dropped, false)
  } else {
    clusterId = await createClusterRow(x, input)
    const sum: Vec = new Map(unit)
    const c: Centroid = {
      clusterId,
      size: 1,
      sum,
      norm: 1,
      representativeId: input.reportId,
      representativeScore: 0,
      keyTerms: keyTermsOf(sum, input.message),
    }
    await saveCentroid(x, input.projectId, c, input.createdAt, unit.keys(), [], true)
  }
  await countReportIn(x, clusterId, input)
  await run(
    x,
    sql`INSERT INTO report_features (report_id, project_id, cluster_id, bag, created_at)
        VALUES (${input.reportId}, ${input.projectId}, ${clusterId}, ${toJson(bag)}, ${input.createdAt})`,
  )
  return { clusterId, created: !joins, similarity: bestSim }
}
