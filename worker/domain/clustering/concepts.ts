// Concept features: English and Chinese words mapped onto WordNet synsets, so that "font",
// "typeface" and 字体 share a feature. The table is generated at build time from WordNet 3.1 and
// CC-CEDICT (scripts/build-concepts.ts → concept-table.ts) and parsed on first use; no I/O.
import { CONCEPT_TABLE } from './concept-table.js'
import { stem } from '../text/index.js'

/** concept id → weight of that sense (0–1): a word's frequent senses weigh most */
export type Senses = readonly (readonly [string, number])[]

let table: Map<string, Senses> | undefined

function load(): Map<string, Senses> {
  if (table) return table
  table = new Map()
  let start = 0
  const t = CONCEPT_TABLE
  while (start < t.length) {
    let end = t.indexOf('\n', start)
    if (end < 0) end = t.length
    const sp = t.indexOf(' ', start)
    const senses = t
      .slice(sp + 1, end)
      .split(',')
      .map((p) => {
        const dot = p.indexOf('.')
        return [p.slice(0, dot), Number(p.slice(dot + 1)) / 9] as const
      })
    table.set(t.slice(start, sp), senses)
    start = end + 1
  }
  return table
}

/** Longest Chinese entry in the table, in characters. */
const MAX_ZH = 3

/** The inflection rules of WordNet's morphy, most specific first (WordNet lists base forms only). */
const SUFFIXES: [string, string][] = [
  ['ies', 'y'],
  ['ches', 'ch'],
  ['shes', 'sh'],
  ['sses', 'ss'],
  ['xes', 'x'],
  ['zes', 'z'],
  ['es', 'e'],
  ['es', ''],
  ['s', ''],
  ['ied', 'y'],
  ['ed', 'e'],
  ['ed', ''],
  ['ing', 'e'],
  ['ing', ''],
  ['ier', 'y'],
  ['iest', 'y'],
  ['er', ''],
  ['est', ''],
  ['er', 'e'],
  ['est', 'e'],
]

/** Senses of an English word (folded), through its base form when it is inflected. */
export function englishSenses(word: string): Senses | undefined {
  const t = load()
  const direct = t.get(word)
  if (direct) return direct
  if (word.length < 4 || !/^[a-z]+$/u.test(word)) return undefined
  for (const [suffix, base] of SUFFIXES) {
    if (!word.endsWith(suffix)) continue
    const stem = word.slice(0, -suffix.length)
    const hit = t.get(stem + base)
    if (hit) return hit
    // "logged", "stopping": a doubled final consonant
    if (
      !base &&
      stem.length > 2 &&
      stem[stem.length - 1] === stem[stem.length - 2] &&
      !/[aeiou]/u.test(stem[stem.length - 1]!)
    ) {
      const undoubled = t.get(stem.slice(0, -1))
      if (undoubled) return undoubled
    }
  }
  return undefined
}

/**
 * Senses of the words in a run of Chinese text, by forward maximum matching over the table (ICU's
 * segmenter splits some words the dictionary knows, such as 上传 → 上 传).
 */
export function chineseSenses(run: string, skip: (word: string) => boolean): Senses[] {
  const t = load()
  const chars = Array.from(run)
  const out: Senses[] = []
  for (let i = 0; i < chars.length; ) {
    let taken = 1
    for (let n = Math.min(MAX_ZH, chars.length - i); n >= 1; n--) {
      const w = chars.slice(i, i + n).join('')
      const hit = t.get(w)
      if (hit) {
        if (!skip(w)) out.push(hit)
        taken = n
        break
      }
    }
    i += taken
  }
  return out
}

let coveredStems: Set<string> | undefined

/**
 * Share of a vector's English word weight (squared, `w:` stems) carried by words the concept table
 * knows: how much of what a report or cluster says its concept part can stand for. A title of
 * product names ("Upgrade guava due to CVE") has concepts for "upgrade" only.
 */
export function conceptCoverage(v: Iterable<[string, number]>): number {
  if (!coveredStems) {
    coveredStems = new Set()
    for (const word of load().keys()) if (/^[a-z]+$/u.test(word)) coveredStems.add(stem(word))
  }
  let all = 0
  let covered = 0
  for (const [k, x] of v) {
    if (k.charCodeAt(0) !== 119 /* w */ || k.charCodeAt(1) !== 58 /* : */) continue
    const s = k.slice(2)
    if (!/^[a-z]+$/u.test(s)) continue
    all += x * x
    if (coveredStems.has(s)) covered += x * x
  }
  return all ? covered / all : 0
}
