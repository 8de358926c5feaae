// Across languages a Chinese and an English report of one problem share no word or character
// n-gram: only their concept features (concepts.ts) can meet, and diluted by everything else in the
// vector they score near zero. So when a report and a cluster are in different scripts, they are
// compared on their concept features alone (cosine of the `c:` parts), against a threshold of its own.
import type { Vec } from './vectors.js'

export type Script = 'cjk' | 'latin'

const CJK_FIRST = /^w:[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

/** The script that carries most of a vector's word weight. */
export function scriptOf(v: Iterable<[string, number]>): Script {
  let cjk = 0
  let latin = 0
  for (const [k, x] of v) {
    if (k.charCodeAt(0) !== 119 /* w */ || k.charCodeAt(1) !== 58 /* : */) continue
    if (CJK_FIRST.test(k)) cjk += x
    else latin += x
  }
  return cjk > latin ? 'cjk' : 'latin'
}

/** Cosine of two vectors' concept parts (each normalised on its own). */
export function conceptCosine(a: Vec, b: Vec): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (const [k, x] of a) {
    if (!k.startsWith('c:')) continue
    na += x * x
    const y = b.get(k)
    if (y !== undefined) dot += x * y
  }
  if (!dot) return 0
  for (const [k, y] of b) if (k.startsWith('c:')) nb += y * y
  return dot / Math.sqrt(na * nb)
}

const SEP = '\x01'
const VAL = '\x02'

/**
 * One pass over an encoded centroid (vectors.ts encoding): its script and the cosine of its concept
 * part with a document's (`unit`, only its `c:` entries are read).
 */
export function encodedConceptCosine(s: string, unit: Vec): { script: Script; cosine: number } {
  let cjk = 0
  let latin = 0
  let dot = 0
  let nc = 0
  let at = s.indexOf(SEP)
  while (at >= 0) {
    const val = s.indexOf(VAL, at + 1)
    if (val < 0) break
    const next = s.indexOf(SEP, val + 1)
    const g = s.charCodeAt(at + 1)
    if ((g === 99 /* c */ || g === 119) /* w */ && s.charCodeAt(at + 2) === 58) {
      const x = Number(next < 0 ? s.slice(val + 1) : s.slice(val + 1, next))
      const key = s.slice(at + 1, val)
      if (g === 99) {
        nc += x * x
        const y = unit.get(key)
        if (y !== undefined) dot += x * y
      } else if (CJK_FIRST.test(key)) cjk += x
      else latin += x
    }
    at = next
  }
  let nu = 0
  for (const [k, y] of unit) if (k.startsWith('c:')) nu += y * y
  return { script: cjk > latin ? 'cjk' : 'latin', cosine: dot && nc && nu ? dot / Math.sqrt(nc * nu) : 0 }
}
