// Topic scope: customers describe one problem in many words, and the clustering engine may spread
// a sudden problem over several young clusters before it learns they belong together. The words
// they share still surge: "pricing", "字体". Each report counts once for each of its distinctive
// words, with the same counters and thresholds machinery as clusters.
//
// Generic words never surge on their own: a surge on "page" or "one" says nothing about which
// problem is happening, and during an outage the word is in every symptom's reports. Three sets:
// - DERIVED_GENERIC_TERMS (generic-terms.ts): words used across many different problems in several
//   unrelated labelled corpora (document frequency across problems and projects; the rule and the
//   data are in scripts/derive-generic-terms.ts);
// - PRODUCT_SURFACE: the nouns that name the product itself. Those corpora are assistant requests
//   and bug summaries, not reports about a web product, so they cannot show that "page", "site",
//   "app", "screen", 页面, 网站 are in nearly every report a web product gets ("on the orders page",
//   "the app"). Kept to the product's surfaces, English and Chinese, and small on purpose;
// - SYMPTOM_WORDS: words that say *that* something is wrong, not *what* ("cannot", "nothing",
//   "broken", "error", 失败, 坏): in an outage they are in every symptom's reports (measured with
//   bench:surge's many-symptoms case, where "cannot" and "noth" alerted beside the real problems);
// - GENERIC_VERBS: verbs and fillers that pass the clustering stopwords (there, IDF discounts them)
//   but would make a useless alert title ("reports mentioning “get”").
import { STOPWORDS, stem, tokenize } from '../text/index.js'
import { DERIVED_GENERIC_TERMS } from './generic-terms.js'

export const TOPIC_PREFIX = 't:'

/** Stems, as `stem()` makes them. */
const GENERIC_VERBS =
  'get take make want need like know go goe come can could would should pleas help use work tell show find ' +
  'look see let give set put try thank hello hey ask say said think way thing time dai todai now still just ' +
  'also realli'

/** English stems and Chinese words naming the product's own surfaces. */
const PRODUCT_SURFACE =
  'page site websit web webpag app applic screen browser tab window platform product servic ' +
  '页面 网站 网页 应用 界面 软件 平台 app 网址 首页 页'

/** English stems and Chinese words of "something is wrong". */
const SYMPTOM_WORDS =
  'cannot cant noth broken broke error fail failur wrong issu problem bug doesnt anymor 坏 坏了 错误 报错 问题 失败 不行 没 反应 一直'

export const GENERIC_TERMS: ReadonlySet<string> = new Set([
  ...DERIVED_GENERIC_TERMS,
  ...`${GENERIC_VERBS} ${PRODUCT_SURFACE} ${SYMPTOM_WORDS}`.split(' ').filter(Boolean),
])

/** Is this term (a stem or CJK word, as topicTerms makes them) too generic to surge on its own? */
export const isGenericTerm = (term: string) => GENERIC_TERMS.has(term) || STOPWORDS.has(term)

/** The report's distinctive words: English stems of ≥ 3 letters, CJK words (not stopwords, not generic). */
export function topicTerms(message: string, max = 8, opts: { keepGeneric?: boolean } = {}): string[] {
  const out = new Set<string>()
  const tokens = tokenize(message)
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    // The segmenter splits some compounds (页面 → 页 + 面): a generic pair goes as a whole.
    const next = tokens[i + 1]
    if (!opts.keepGeneric && t.cjk && next?.cjk && GENERIC_TERMS.has(t.text + next.text)) {
      i++
      continue
    }
    if (t.masked || STOPWORDS.has(t.text)) continue
    const term = t.cjk ? t.text : stem(t.text)
    if (STOPWORDS.has(term) || (!opts.keepGeneric && GENERIC_TERMS.has(term))) continue
    // A single Han character is often a whole word in Chinese (诗 poem, 票 ticket); stopwords are out.
    if (!t.cjk && (term.length < 3 || !/\p{L}/u.test(term))) continue
    out.add(term)
    if (out.size >= max) break
  }
  return [...out]
}
