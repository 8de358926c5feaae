// The scale bench's store: synthetic complaints and the seeding of N of them in N/10 clusters
// straight into the engine's tables (batch inserts; features, centroids, postings and document
// frequencies computed with the engine's own code), as if the pipeline had clustered them.
//
// Two vocabularies: `real` (the default) draws English and Chinese words from the engine's
// concept table, so every report carries concept features (`c:`) and the cross-script check runs
// as it does on real text; `synthetic` uses pseudo-words with no concepts (the figures before
// concepts existed were measured with it).
import type { Client } from '@libsql/client'
import { CONCEPT_TABLE } from '../../worker/domain/clustering/concept-table.js'
import { DEFAULT_OPTIONS } from '../../worker/domain/clustering/engine.js'
import { isIndexed, reportBag, weigh } from '../../worker/domain/clustering/features.js'
import { DOCS_KEY } from '../../worker/domain/clustering/state.js'
import { STOPWORDS } from '../../worker/domain/text/words.js'
import { encodeVec, norm, prune, toJson, type Vec } from '../../worker/domain/clustering/vectors.js'
import { newId } from '../../worker/domain/shared/ids.js'
import { rng } from '../lib/rng.js'

export type Words = 'real' | 'synthetic'

/** Common words (Zipf-distributed ranks) before the topic words in a vocabulary. */
const COMMON = 5000

const SYLLABLES = (
  'ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ' +
  'pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu'
).split(' ')

function pseudoWord(i: number): string {
  let w = ''
  let n = i + 1
  while (n > 0) {
    w += SYLLABLES[n % SYLLABLES.length]
    n = Math.floor(n / SYLLABLES.length)
  }
  return w + 'x'
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const r = rng(seed)
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** Words of the concept table by script, in a fixed random order (the order is the frequency rank). */
function tableWords(): { en: string[]; zh: string[] } {
  const en: string[] = []
  const zh: string[] = []
  for (const line of CONCEPT_TABLE.split('\n')) {
    const w = line.slice(0, line.indexOf(' '))
    if (!w || STOPWORDS.has(w)) continue
    if (/^[a-z]{3,}$/u.test(w)) en.push(w)
    else if (/^\p{Script=Han}{2,3}$/u.test(w)) zh.push(w)
  }
  return { en: shuffled(en, 11), zh: shuffled(zh, 12) }
}

export interface Vocabulary {
  words: Words
  /** Share of reports written in Chinese (real words only). */
  zh: number
  /** Word `i` of the vocabulary: ranks below COMMON are common words, above them topic words. */
  en(i: number): string
  zhWord(i: number): string
}

export function vocabulary(words: Words, zh: number): Vocabulary {
  if (words === 'synthetic') return { words, zh: 0, en: pseudoWord, zhWord: pseudoWord }
  const t = tableWords()
  // Topic words cycle through the table (each real word belongs to several topics, as in real text).
  return { words, zh, en: (i) => t.en[i % t.en.length]!, zhWord: (i) => t.zh[i % t.zh.length]! }
}

/**
 * A complaint about `topic`: a few of its six topic words, a few common words, sometimes a
 * number; in Chinese (no spaces) for a share `zh` of the topics' reports.
 */
export function message(v: Vocabulary, topic: number, r: () => number): string {
  const chinese = v.zh > 0 && r() < v.zh
  const pick = chinese ? v.zhWord : v.en
  const words: string[] = []
  const k = 2 + Math.floor(r() * 3)
  for (let i = 0; i < k; i++) words.push(pick(COMMON + topic * 6 + Math.floor(r() * 6)))
  const c = 2 + Math.floor(r() * 4)
  for (let i = 0; i < c; i++) words.push(pick(Math.floor(COMMON * r() ** 3)))
  if (r() < 0.3) words.push(String(Math.floor(r() * 10000)))
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[words[i], words[j]] = [words[j]!, words[i]!]
  }
  return words.join(chinese ? '' : ' ')
}

/** Seeds `total` reports in `clusters` clusters, 30 days old, already processed by the pipeline. */
export async function seed(
  client: Client,
  projectId: string,
  v: Vocabulary,
  total: number,
  clusters: number,
  t0: number,
): Promise<void> {
  // Pass 1: document frequencies over every seeded report.
  const df = new Map<string, number>()
  let r = rng(1)
  for (let i = 0; i < total; i++) {
    const bag = reportBag({ message: message(v, i % clusters, r) })
    for (const f of bag.keys()) df.set(f, (df.get(f) ?? 0) + 1)
  }
  // Pass 2: the same reports again (same seed): rows, features, centroids.
  r = rng(1)
  const sums: Vec[] = Array.from({ length: clusters }, () => new Map())
  const sizes = new Uint32Array(clusters)
  const clusterIds = Array.from({ length: clusters }, (_, c) => newId('clu', t0 + c))
  const BATCH = 500
  let reportRows: [string, string, string, number, string][] = []
  const flush = async () => {
    if (!reportRows.length) return
    const rows = reportRows
    reportRows = []
    await client.batch(
      [
        {
          // Already clustered: processed_at is set, so the pipeline leaves them alone.
          sql:
            'INSERT INTO reports (id, project_id, idempotency_key, message, cluster_id, created_at, source, ' +
            `processed_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          args: rows.flatMap(([id, msg, cid, at]) => [id, projectId, id, msg, cid, at, 'api', at]),
        },
        {
          sql:
            'INSERT INTO report_features (report_id, project_id, cluster_id, bag, created_at) ' +
            `VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
          args: rows.flatMap(([id, , cid, at, bag]) => [id, projectId, cid, bag, at]),
        },
      ],
      'write',
    )
  }
  for (let i = 0; i < total; i++) {
    const c = i % clusters
    const msg = message(v, c, r)
    const bag = reportBag({ message: msg })
    const unit = weigh(bag, total, (f) => df.get(f) ?? 1, DEFAULT_OPTIONS.weights)
    const sum = sums[c]!
    for (const [k, x] of unit) sum.set(k, (sum.get(k) ?? 0) + x)
    if (sum.size > 400) prune(sum)
    sizes[c]!++
    const at = t0 + Math.floor((i / total) * 30 * 86400_000)
    reportRows.push([newId('rep', at), msg, clusterIds[c]!, at, toJson(bag)])
    if (reportRows.length >= BATCH) await flush()
  }
  await flush()
  // Clusters, centroids and postings.
  for (let c0 = 0; c0 < clusters; c0 += BATCH) {
    const stmts = []
    const ids = clusterIds.slice(c0, c0 + BATCH)
    stmts.push({
      sql:
        'INSERT INTO clusters (id, project_id, title, report_count, reporter_count, first_seen_at, last_seen_at, ' +
        `created_at) VALUES ${ids.map(() => '(?, ?, ?, ?, 0, ?, ?, ?)').join(', ')}`,
      args: ids.flatMap((id, j) => [id, projectId, `cluster ${c0 + j}`, sizes[c0 + j]!, t0, t0 + 30 * 86400_000, t0]),
    })
    const vecArgs: (string | number)[] = []
    const postArgs: (string | number)[] = []
    let posts = 0
    ids.forEach((id, j) => {
      const sum = sums[c0 + j]!
      prune(sum)
      const n = norm(sum)
      vecArgs.push(id, projectId, sizes[c0 + j]!, encodeVec(sum), n, t0)
      for (const [f, w] of sum)
        if (isIndexed(f)) {
          postArgs.push(projectId, f, id, w / n)
          posts++
        }
    })
    stmts.push({
      sql:
        'INSERT INTO cluster_vectors (cluster_id, project_id, size, vector, norm, updated_at) ' +
        `VALUES ${ids.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      args: vecArgs,
    })
    for (let p = 0; p < posts; p += 2000) {
      const n = Math.min(2000, posts - p)
      stmts.push({
        sql:
          'INSERT INTO cluster_postings (project_id, feature, cluster_id, weight) ' +
          `VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?)').join(', ')}`,
        args: postArgs.slice(p * 4, (p + n) * 4),
      })
    }
    await client.batch(stmts, 'write')
  }
  const dfRows = [[DOCS_KEY, total] as [string, number], ...df.entries()]
  for (let i = 0; i < dfRows.length; i += 2000) {
    const chunk = dfRows.slice(i, i + 2000)
    await client.execute({
      sql: `INSERT INTO clustering_df (project_id, feature, df) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
      args: chunk.flatMap(([f, n]) => [projectId, f, n]),
    })
  }
  await client.execute('ANALYZE')
}
