// Readable cluster titles: a summary of the representative report (its first sentence, trimmed at
// a word boundary) plus the centroid's key terms it does not already say. A responder's own title
// (clusters.title_source = 'human') is never replaced: see counters.ts setTitle / batch.ts.
import { MASK, stem, tokenize } from '../text/index.js'
import type { Vec } from './vectors.js'

export const TITLE_MAX = 120
/** The representative's part of an automatic title. */
export const SUMMARY_MAX = 80

let words: Intl.Segmenter | undefined
const wordSegmenter = () => (words ??= new Intl.Segmenter('zh', { granularity: 'word' }))

// A sentence ends at . ! ? followed by a space, or at a CJK full stop / exclamation / question mark.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const SENTENCE_END = /[.!?](?=\s)|[。！？]/u

/**
 * The representative report's text as a title: whitespace collapsed, its first sentence when that
 * says enough (≥ 12 characters), cut at a word boundary (Intl.Segmenter words, so never inside a
 * surrogate pair or a Chinese word) to at most `max` characters with "…".
 */
export function summaryText(message: string, max = SUMMARY_MAX): string {
  const flat = message.replace(/\s+/gu, ' ').trim()
  if (!flat) return ''
  const end = flat.search(SENTENCE_END)
  const first = end >= 0 ? flat.slice(0, end + 1).trim() : flat
  const text = first.length >= 12 ? first.replace(/[.。]$/u, '') : flat
  if (text.length <= max) return text
  let cut = 0
  for (const s of wordSegmenter().segment(text)) {
    const next = s.index + s.segment.length
    if (next > max - 1) break
    cut = next
  }
  // One word longer than the whole budget: cut between code points, never inside a surrogate pair.
  if (cut === 0) cut = Array.from(text.slice(0, max - 1)).join('').length
  let head = text.slice(0, cut)
  if (/[\uD800-\uDBFF]$/u.test(head)) head = head.slice(0, -1)
  return head.replace(/[\s,;:·—–-]+$/u, '') + '…'
}

/**
 * An automatic title: the summary plus up to three of the cluster's key terms it does not say
 * (words the trimmed-away rest of the report used, or CJK words other members used):
 * "Checkout fails since this morning — declined, visa", at most TITLE_MAX characters.
 */
export function summaryTitle(message: string, keyTerms: readonly string[] = []): string {
  const summary = summaryText(message)
  if (!summary) return '(empty report)'
  const said = summary.toLocaleLowerCase()
  const whole = message.normalize('NFKC').toLocaleLowerCase()
  const extra: string[] = []
  for (const t of keyTerms) {
    if (extra.length >= 3) break
    const term = t.trim()
    if (!term || term.startsWith('⟦') || said.includes(term.toLocaleLowerCase())) continue
    // Words the representative spells (a stem such as "typefac" is no word to show) or CJK words.
    if (!whole.includes(term.toLocaleLowerCase()) && !CJK.test(term)) continue
    if (summary.length + 3 + [...extra, term].join(', ').length > TITLE_MAX) break
    extra.push(term)
  }
  return extra.length ? `${summary} — ${extra.join(', ')}` : summary
}

/** A title from a message alone (a new cluster before it has key terms). */
export function titleFrom(message: string): string {
  return summaryTitle(message)
}

const MASKED = new Set<string>(Object.values(MASK))

/**
 * Up to `n` strongest word features of a centroid, shown as the surface word the representative
 * report used ("declined", not the stem "declin") when it has one.
 */
export function keyTermsOf(sum: Vec, representative: string | null, n = 5): string[] {
  const surface = new Map<string, string>()
  if (representative) {
    for (const t of tokenize(representative)) {
      if (t.masked) continue
      const key = t.cjk ? t.text : stem(t.text)
      if (!surface.has(key)) surface.set(key, t.text)
    }
  }
  return [...sum.entries()]
    .filter(([k]) => k.startsWith('w:') && !MASKED.has(k.slice(2)))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k]) => surface.get(k.slice(2)) ?? k.slice(2))
}
