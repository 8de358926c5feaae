// Topic scope: customers describe one problem in many words, and the clustering engine may spread
// a sudden problem over several young clusters before it learns they belong together. The words
// they share still surge: "pricing", "字体". Each report counts once for each of its distinctive
// words, with the same counters and thresholds machinery as clusters.
import { STOPWORDS, stem, tokenize } from '../clustering/text.js'

export const TOPIC_PREFIX = 't:'

/** The report's distinctive words: English stems of ≥ 3 letters, CJK words of ≥ 2 characters. */
export function topicTerms(message: string, max = 8): string[] {
  const out = new Set<string>()
  for (const t of tokenize(message)) {
    if (t.masked || STOPWORDS.has(t.text)) continue
    const term = t.cjk ? t.text : stem(t.text)
    if (STOPWORDS.has(term)) continue
    if (t.cjk ? Array.from(term).length < 2 : term.length < 3 || !/\p{L}/u.test(term)) continue
    out.add(term)
    if (out.size >= max) break
  }
  return [...out]
}
