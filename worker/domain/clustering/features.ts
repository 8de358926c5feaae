// Turns one report into weighted sparse features. Pure functions: the engine supplies document
// frequencies (kept online in libSQL), so the same code scores on Node and Workers.
import { chineseSenses, englishSenses, type Senses } from './concepts.js'
import { conceptShare } from './background.js'
import { MASK, STOPWORDS, stem, tokenize } from '../text/index.js'

export interface ReportSignals {
  message: string
  route?: string | null
  release?: string | null
  category?: string | null
  /** captured client error messages (context.errors[].message) */
  errors?: readonly string[] | null
}

/** Feature groups. Each group is L2-normalised on its own, then scaled by its weight. */
export type Group = 'w' | 'g' | 'r' | 'v' | 'k' | 'e' | 'c'

export interface Weights {
  /** words: English stems and CJK words from the segmenter */
  w: number
  /** character n-grams: 3-grams inside Latin words, 1–2-grams over CJK runs */
  g: number
  /** normalised route */
  r: number
  /** release */
  v: number
  /** category */
  k: number
  /** error-message fingerprints */
  e: number
  /** concepts (WordNet synsets of English and Chinese words, concepts.ts) in Latin-script text */
  c: number
  /**
   * the same in CJK text, blended by the share of CJK words: the only features a Chinese report
   * shares with English ones
   */
  cz: number
  /**
   * idf prior (experiment, 0 = off): idf is computed as if the project had at least this many
   * documents, the extra ones containing no feature — young statistics then weigh a problem's
   * shared word (in every one of its first reports) nearly as much as any other word.
   */
  idfDocs?: number
  /**
   * Background documents for concepts (0 = off): a concept's idf as if the project also had this
   * many documents of general English, in which the concept occurs as often as background.ts says
   * (WordNet's SemCor counts). A young project's own df weighs the concept every report of its first
   * problem shares (font = typeface = 字体) least; general text knows it is rarer than the senses of
   * "look", "page" or "order". Fades as the project's own documents outnumber them. Concepts only:
   * on words and n-grams it also raised product vocabulary general text does not know (BENCHMARKS.md).
   */
  bgDocs?: number
}

export const DEFAULT_WEIGHTS: Weights = {
  w: 1,
  g: 1,
  r: 0.35,
  v: 0.2,
  k: 0.25,
  e: 0.8,
  c: 0.1,
  cz: 0.03,
  idfDocs: 0,
  bgDocs: 1000,
}

/** feature key ("w:font", "g:fon", "r:/checkout/:id") → raw term count */
export type Bag = Map<string, number>

function add(bag: Bag, key: string, n = 1): void {
  key = key.replace(/[\x00-\x1f]/gu, ' ') // control characters would clash with the centroid encoding
  bag.set(key, (bag.get(key) ?? 0) + n)
}

const MASKED = new Set<string>(Object.values(MASK))
const CJK_WORD = /^w:[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

function addSenses(bag: Bag, senses: Senses | undefined): void {
  if (senses) for (const [id, w] of senses) add(bag, 'c:' + id, w)
}

const skipStop = (w: string) => STOPWORDS.has(w)

/** Text features: stems / CJK words, character n-grams, and concepts (`c:`, a sense weight rather than a count). */
export function textBag(message: string, bag: Bag = new Map()): Bag {
  const tokens = tokenize(message)
  let cjkRun = ''
  const flushRun = () => {
    if (!cjkRun) return
    for (const senses of chineseSenses(cjkRun, skipStop)) addSenses(bag, senses)
    const chars = Array.from(cjkRun)
    for (let i = 0; i < chars.length; i++) {
      if (!STOPWORDS.has(chars[i]!)) add(bag, 'g:' + chars[i])
      if (i + 1 < chars.length) add(bag, 'g:' + chars[i] + chars[i + 1])
    }
    cjkRun = ''
  }
  for (const t of tokens) {
    if (t.masked) {
      flushRun()
      // Placeholders say "there was a number here": weak evidence, but not nothing.
      add(bag, 'w:' + t.text)
      continue
    }
    if (t.cjk) {
      cjkRun += t.text
      if (!STOPWORDS.has(t.text)) add(bag, 'w:' + t.text)
      continue
    }
    flushRun()
    if (STOPWORDS.has(t.text)) continue
    addSenses(bag, englishSenses(t.text))
    const s = stem(t.text)
    add(bag, 'w:' + s)
    const padded = `<${s}>`
    const chars = Array.from(padded)
    if (chars.length >= 4) for (let i = 0; i + 3 <= chars.length; i++) add(bag, 'g:' + chars.slice(i, i + 3).join(''))
  }
  flushRun()
  return bag
}

/** "/orders/123/items?x=1#y" → "/orders/:id/items"; ids, numbers and hashes become ":id". */
export function normalizeRoute(route: string): string {
  let path = route.trim().toLowerCase()
  path = path.replace(/^[a-z]+:\/\/[^/]+/u, '').replace(/[?#].*$/u, '')
  const parts = path.split('/').map((seg) => (/\d/u.test(seg) || seg.length > 24 ? ':id' : seg))
  const out = parts.join('/').replace(/\/+$/u, '')
  return out || '/'
}

/** Fingerprint of an error message: folded, volatile parts removed, quoted values dropped. */
export function errorFingerprint(message: string): string {
  return message
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(["'`]).*?\1/gu, '_')
    .replace(/\b(?:https?:\/\/|www\.)\S+/gu, '_')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gu, '_')
    .replace(/\b(?:0x)?[0-9a-f]*\d[0-9a-f]*\b/gu, '_')
    .replace(/\d+/gu, '_')
    .replace(/\s+/gu, ' ')
    .trim()
    .slice(0, 160)
}

/** All raw features of a report. */
export function reportBag(r: ReportSignals): Bag {
  const bag = textBag(r.message)
  if (r.route) add(bag, 'r:' + normalizeRoute(r.route))
  if (r.release) add(bag, 'v:' + r.release.trim().toLowerCase())
  if (r.category) add(bag, 'k:' + r.category.trim().toLowerCase())
  for (const e of r.errors ?? []) {
    const fp = errorFingerprint(e)
    if (fp) bag.set('e:' + fp.replace(/[\x00-\x1f]/gu, ' '), 1)
  }
  return bag
}

export function groupOf(key: string): Group {
  return key[0] as Group
}

/** Whether a feature is specific enough to index clusters by (inverted index postings). */
export function isIndexed(key: string): boolean {
  const g = key[0]
  if (g === 'w') return !MASKED.has(key.slice(2))
  if (g === 'g')
    return (
      key.length <= 4 &&
      /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2}/u.test(key.slice(2))
    )
  return g === 'e' || g === 'r' || g === 'c'
}

/** Smoothed inverse document frequency, as in common tf-idf practice. */
export function idf(docs: number, df: number): number {
  return Math.log((1 + docs) / (1 + df)) + 1
}

/**
 * Weighted unit vector: sublinear tf × idf per feature, each group normalised to unit length and
 * scaled by its weight, then the whole normalised to unit length.
 */
export function weigh(
  bag: Bag,
  docs: number,
  dfOf: (key: string) => number,
  weights: Weights = DEFAULT_WEIGHTS,
): Map<string, number> {
  const byGroup = new Map<Group, [string, number][]>()
  let words = 0
  let cjkWords = 0
  const idfN = Math.max(docs, weights.idfDocs ?? 0)
  const bgN = weights.bgDocs ?? 0
  for (const [key, tf] of bag) {
    const g = groupOf(key)
    if (g === 'w') {
      words++
      if (CJK_WORD.test(key)) cjkWords++
    }
    const inv = g === 'c' && bgN ? idf(idfN + bgN, dfOf(key) + bgN * conceptShare(key.slice(2))) : idf(idfN, dfOf(key))
    // a concept's value is the sum of its sense weights (≤ 1 per word), not a count
    const w = (g === 'c' ? Math.min(tf, 2) : 1 + Math.log(tf)) * inv
    let list = byGroup.get(g)
    if (!list) byGroup.set(g, (list = []))
    list.push([key, w])
  }
  const vec = new Map<string, number>()
  let total = 0
  const cjkShare = words ? cjkWords / words : 0
  for (const [g, list] of byGroup) {
    const gw = g === 'c' ? weights.c * (1 - cjkShare) + weights.cz * cjkShare : weights[g]
    if (!gw) continue
    let n = 0
    for (const [, w] of list) n += w * w
    n = Math.sqrt(n)
    for (const [key, w] of list) {
      const v = (w / n) * gw
      vec.set(key, v)
      total += v * v
    }
  }
  total = Math.sqrt(total)
  if (total > 0) for (const [k, v] of vec) vec.set(k, v / total)
  return vec
}

export function dot(a: Map<string, number>, b: Map<string, number>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a]
  let s = 0
  for (const [k, v] of small) {
    const o = big.get(k)
    if (o !== undefined) s += v * o
  }
  return s
}
