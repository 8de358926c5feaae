// Readable cluster titles: the representative report's text plus the centroid's key terms.
import { MASK, stem, tokenize } from './text.js'
import type { Vec } from './vectors.js'

export const TITLE_MAX = 120

export function titleFrom(message: string): string {
  const flat = message.replace(/\s+/gu, ' ').trim()
  if (flat.length <= TITLE_MAX) return flat || '(empty report)'
  return flat.slice(0, TITLE_MAX - 1).trimEnd() + '…'
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
