// Topic scope: customers describe one problem in many words, and the clustering engine may spread
// a sudden problem over several young clusters before it learns they belong together. The words
// they share still surge: "pricing", "字体". Each report counts once for each of its distinctive
// words, with the same counters and thresholds machinery as clusters.
import { STOPWORDS, stem, tokenize } from '../clustering/text.js'

export const TOPIC_PREFIX = 't:'

/**
 * Generic verbs and fillers that pass the clustering stopwords (there, IDF discounts them) but
 * would make a useless alert title ("reports mentioning “get”"). Stems, as `stem()` makes them.
 */
const GENERIC = new Set(
  'get take make want need like know go goe come can could would should pleas help use work tell show find look see let give set put try thank hello hey ask say said think way thing time dai todai now still just also realli'
    .split(' ')
    .filter(Boolean),
)

/** The report's distinctive words: English stems of ≥ 3 letters, CJK words (not stopwords). */
export function topicTerms(message: string, max = 8): string[] {
  const out = new Set<string>()
  for (const t of tokenize(message)) {
    if (t.masked || STOPWORDS.has(t.text)) continue
    const term = t.cjk ? t.text : stem(t.text)
    if (STOPWORDS.has(term) || GENERIC.has(term)) continue
    // A single Han character is often a whole word in Chinese (诗 poem, 票 ticket); stopwords are out.
    if (!t.cjk && (term.length < 3 || !/\p{L}/u.test(term))) continue
    out.add(term)
    if (out.size >= max) break
  }
  return [...out]
}
