// Online assignment's parameters and the questions it asks of every report: its features, and how
// similar it must be to a cluster to join it. The assignment itself runs in the report pipeline,
// a batch at a time (batch.ts); refinement and corrections ask the same questions.
import { DEFAULT_WEIGHTS, reportBag, type Bag, type Weights } from './features.js'
import type { ReportFacts } from './counters.js'
import type { LookupOptions } from './state.js'

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
  /**
   * A report and a cluster in different scripts (Chinese and English) are compared on their
   * concept features alone (crosslingual.ts); this is the cosine they need. 0 disables it.
   */
  crossThreshold: number
}

export const DEFAULT_OPTIONS: EngineOptions = {
  weights: { ...DEFAULT_WEIGHTS, g: 2 },
  threshold: 0.3,
  thresholdCjk: 0.12,
  lookup: { queryFeatures: 8, perFeature: 16, candidates: 16, conceptFeatures: 8, conceptCandidates: 4 },
  youth: 0.4,
  youngDocs: 1000,
  crossThreshold: 0.25,
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
