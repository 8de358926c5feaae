// Sparse vectors as plain objects (JSON-friendly) and the centroid arithmetic the engine needs.

export type Vec = Map<string, number>

/** Centroids keep only their strongest features: bounded storage and bounded scoring work. */
export const MAX_CENTROID_FEATURES = 200

// Centroids are stored as "\x01feature\x02weight" runs rather than JSON: scoring a candidate
// walks the string once (dotEncoded) without building a Map of its 200 entries.
const SEP = '\x01'
const VAL = '\x02'

export function encodeVec(v: Vec): string {
  let out = ''
  for (const [k, x] of v) out += SEP + k + VAL + (Math.round(x * 1e5) / 1e5).toString()
  return out
}

export function decodeVec(s: string): Vec {
  const out: Vec = new Map()
  for (const part of s.split(SEP)) {
    if (!part) continue
    const i = part.lastIndexOf(VAL)
    out.set(part.slice(0, i), Number(part.slice(i + 1)))
  }
  return out
}

/**
 * Dot product of a document's vector with an encoded centroid: one pass over the centroid's
 * entries with a Map lookup each. (Searching the string once per document feature scanned
 * ~60 × 2.4 KB per candidate and was ~0.6 ms of every assignment at 100k reports.)
 */
export function dotEncoded(s: string, v: Vec): number {
  let sum = 0
  let at = s.indexOf(SEP)
  while (at >= 0) {
    const val = s.indexOf(VAL, at + 1)
    if (val < 0) break
    const next = s.indexOf(SEP, val + 1)
    const x = v.get(s.slice(at + 1, val))
    if (x !== undefined) sum += x * Number(next < 0 ? s.slice(val + 1) : s.slice(val + 1, next))
    at = next
  }
  return sum
}

export function toJson(v: Vec): string {
  const o: Record<string, number> = {}
  for (const [k, x] of v) o[k] = Math.round(x * 1e5) / 1e5
  return JSON.stringify(o)
}

export function fromJson(s: string): Vec {
  return new Map(Object.entries(JSON.parse(s) as Record<string, number>))
}

export function norm(v: Vec): number {
  let s = 0
  for (const x of v.values()) s += x * x
  return Math.sqrt(s)
}

/** sum += sign × v, then prune to the strongest MAX_CENTROID_FEATURES. Returns the pruned keys. */
export function addInto(sum: Vec, v: Vec, sign = 1): string[] {
  for (const [k, x] of v) {
    const y = (sum.get(k) ?? 0) + sign * x
    if (y > 1e-6) sum.set(k, y)
    else sum.delete(k)
  }
  return prune(sum)
}

/**
 * Of the MAX_CENTROID_FEATURES kept, up to CONCEPT_RESERVE are the strongest concept features
 * whatever their weight: in Chinese text they weigh little (features.ts `cz`), but they are what an
 * English report is compared with (crosslingual.ts), and pruning by weight alone would drop them first.
 */
export const CONCEPT_RESERVE = 32

export function prune(sum: Vec, max = MAX_CENTROID_FEATURES): string[] {
  if (sum.size <= max) return []
  const sorted = [...sum.entries()].sort((a, b) => b[1] - a[1])
  const keep = new Set<string>()
  let concepts = 0
  for (const [k] of sorted) {
    if (concepts >= CONCEPT_RESERVE) break
    if (k.charCodeAt(0) === 99 /* c */ && k.charCodeAt(1) === 58 /* : */) {
      keep.add(k)
      concepts++
    }
  }
  for (const [k] of sorted) {
    if (keep.size >= max) break
    keep.add(k)
  }
  const dropped: string[] = []
  for (const [k] of sorted) if (!keep.has(k)) dropped.push(k)
  for (const k of dropped) sum.delete(k)
  return dropped
}

/** Cosine between a unit vector and an unnormalised centroid sum. */
export function cosineToCentroid(unit: Vec, sum: Vec, sumNorm: number): number {
  if (sumNorm <= 0) return 0
  let s = 0
  for (const [k, x] of unit) {
    const y = sum.get(k)
    if (y !== undefined) s += x * y
  }
  return s / sumNorm
}

export function cosine(a: Vec, na: number, b: Vec, nb: number): number {
  if (na <= 0 || nb <= 0) return 0
  const [small, big] = a.size <= b.size ? [a, b] : [b, a]
  let s = 0
  for (const [k, x] of small) {
    const y = big.get(k)
    if (y !== undefined) s += x * y
  }
  return s / (na * nb)
}
