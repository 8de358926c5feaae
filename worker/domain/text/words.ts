// Text normalisation and tokenisation shared by the engine, the CLI and the benches.
// Runs unchanged on Node and Workers: only Intl and String APIs, no Node built-ins.
import { stemmer } from 'stemmer'

/** Placeholders that replace volatile parts of a message (they carry no meaning across reports). */
export const MASK = { url: '⟦url⟧', email: '⟦email⟧', uuid: '⟦id⟧', hex: '⟦hex⟧', num: '⟦num⟧' } as const

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gu
const EMAIL_RE = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu
const UUID_RE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gu
// Hex: 0x-prefixed, or long runs of hex digits that contain at least one digit and one letter
// (hashes, object ids). Plain words like "decade" are left alone because they lack a digit.
const HEX_RE = /\b(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,})\b/gu
// Numbers, including decimals, thousands separators and ids glued to letters (e.g. "ord_12345").
const NUM_RE = /\p{N}+(?:[.,:/]\p{N}+)*/gu

/** NFKC (full-width → ASCII, compatibility forms) and case folding. */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/** Replace URLs, e-mails, uuids, hex ids and numbers with placeholders. Expects folded text. */
export function mask(text: string): string {
  return text
    .replace(URL_RE, ` ${MASK.url} `)
    .replace(EMAIL_RE, ` ${MASK.email} `)
    .replace(UUID_RE, ` ${MASK.uuid} `)
    .replace(HEX_RE, ` ${MASK.hex} `)
    .replace(NUM_RE, ` ${MASK.num} `)
}

/** "MiniYARNCluster" → "Mini YARN Cluster", "getUserName" → "get User Name" (before case folding). */
export function splitCamel(text: string): string {
  return text.replace(/(?<![\p{N}])(\p{Ll})(\p{Lu})/gu, '$1 $2').replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
}

export function normalizeText(text: string): string {
  return mask(fold(splitCamel(text)))
    .replace(/\s+/gu, ' ')
    .trim()
}

export interface Token {
  /** the folded surface form (a masked placeholder stays as it is) */
  text: string
  /** true for Han / Kana / Hangul words, which get character n-grams instead of stems */
  cjk: boolean
  /** true for a masked placeholder */
  masked: boolean
}

const CJK_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const PLACEHOLDER_RE = /⟦(url|email|id|hex|num)⟧/gu

let segmenter: Intl.Segmenter | undefined
function wordSegmenter(): Intl.Segmenter {
  // ICU's dictionary-based word breaking handles Chinese and Japanese whatever the locale tag;
  // 'zh' makes the preference explicit.
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' })
  return segmenter
}

/** Fold, mask and split into word tokens (CJK runs are segmented into words by ICU). */
export function tokenize(text: string): Token[] {
  const masked = normalizeText(text)
  const out: Token[] = []
  // Split around placeholders first so the segmenter never sees them.
  let last = 0
  for (const m of masked.matchAll(PLACEHOLDER_RE)) {
    segmentInto(masked.slice(last, m.index), out)
    out.push({ text: m[0], cjk: false, masked: true })
    last = m.index! + m[0].length
  }
  segmentInto(masked.slice(last), out)
  return out
}

function segmentInto(chunk: string, out: Token[]): void {
  if (!chunk.trim()) return
  for (const s of wordSegmenter().segment(chunk)) {
    if (!s.isWordLike) continue
    // Apostrophes inside words ("can't") are kept; other joiners were split by ICU already.
    out.push({ text: s.segment, cjk: CJK_RE.test(s.segment), masked: false })
  }
}

/** Light English stemming (Porter) so "declined", "declining", "declines" meet. */
export function stem(word: string): string {
  if (!/^[a-z]+$/u.test(word)) return word.replace(/['’]s$/u, '')
  return word.length > 3 ? stemmer(word) : word
}

/** Function words that carry no topic. Kept small on purpose: document frequencies do the rest. */
export const STOPWORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from as is are was were be been being am do does did ' +
    'doing have has had having i me my we our you your he she it its they them their this that these those ' +
    'there here what which who whom whose when where why how can could would should will shall may might must ' +
    'not no so than too very just also about into over under again then once all any some such only own same ' +
    "up down out off s t don't can't i'm it's i'd i'll let's please pls hi hello hey thanks thank ok okay " +
    '的 了 是 在 我 你 他 她 它 们 我们 你们 吗 呢 吧 啊 呀 哦 和 与 就 都 也 还 要 想 请 给 把 被 让 这 那 这个 那个 一下 一个 个 有 没有 么 什么 怎么 帮 帮我 能 可以 会 一 不 ' +
    'の は が を に で と も へ や から まで です ます でし た て い する し'
  ).split(/\s+/u),
)
