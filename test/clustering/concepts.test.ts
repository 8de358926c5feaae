// Concept features (issue 13): words that mean the same meet, across English and Chinese.
// The pipeline cases go through the server's own path: submitReport on a real libSQL file, the
// report pipeline drained, refinement run — on a fresh project, as an incident's first reports are.
import { afterEach, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { chineseSenses, englishSenses } from '../../worker/domain/clustering/concepts.js'
import { textBag } from '../../worker/domain/clustering/features.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { openHarness, type Harness } from '../../scripts/clustering/replay.js'
import { similarClusters } from '../../worker/domain/clustering/similar.js'
import { loadCentroids, similarity } from '../../worker/domain/clustering/state.js'

const ids = (senses: readonly (readonly [string, number])[] | undefined) => new Set((senses ?? []).map(([id]) => id))
const shares = (a: Set<string>, b: Set<string>) => [...a].some((x) => b.has(x))
const zh = (word: string) => ids(chineseSenses(word, () => false)[0])

describe('concept table', () => {
  it('maps synonyms and inflections onto shared concepts, and different things onto none', () => {
    expect(shares(ids(englishSenses('typeface')), ids(englishSenses('fonts')))).toBe(true)
    expect(shares(ids(englishSenses('vanished')), ids(englishSenses('disappear')))).toBe(true)
    expect(shares(ids(englishSenses('font')), ids(englishSenses('price')))).toBe(false)
    expect(englishSenses('qwzx')).toBeUndefined()
  })

  it('maps Chinese words onto the English concepts of their dictionary glosses', () => {
    expect(shares(zh('字体'), ids(englishSenses('font')))).toBe(true)
    expect(shares(zh('搜索'), ids(englishSenses('search')))).toBe(true)
    expect(shares(zh('上传'), ids(englishSenses('upload')))).toBe(true)
    expect(shares(zh('价格'), ids(englishSenses('font')))).toBe(false)
    // the segmenter splits 上传 into 上 传; matching over the table still finds the word
    expect([...textBag('上传文件失败').keys()].filter((k) => k.startsWith('c:')).length).toBeGreaterThan(0)
  })
})

let h: Harness | undefined
afterEach(() => {
  h?.close()
  h = undefined
})

/** Sends the messages 20 s apart through intake and the pipeline; returns each one's final cluster. */
async function cluster(messages: string[]): Promise<string[]> {
  h = await openHarness()
  const reportIds: string[] = []
  for (const [i, message] of messages.entries()) {
    h.clock.advance(20_000)
    const r = await submitReport(
      h.deps,
      h.project,
      { message, reporter_id: `person-${i}` },
      { idempotencyKey: `concepts-${i}` },
    )
    reportIds.push(r.id)
    await h.deps.pipeline.drain()
  }
  h.clock.advance(60_000)
  await h.deps.engine.refine(h.project.id)
  const rows = await h.db.orm.all<{ id: string; cluster_id: string }>(
    sql`SELECT id, cluster_id FROM reports WHERE project_id = ${h.project.id}`,
  )
  const of = new Map(rows.map((r) => [r.id, r.cluster_id]))
  return reportIds.map((id) => of.get(id)!)
}

describe('through the pipeline, on a fresh project', () => {
  it('puts a Chinese report with the English report of the same problem', async () => {
    const [en, zhReport] = await cluster(['search returns nothing', '搜索没有结果'])
    expect(zhReport).toBe(en)
  })

  it('keeps a Chinese report of another problem apart', async () => {
    const [en, other] = await cluster(['search returns nothing', '上传文件失败'])
    expect(other).not.toBe(en)
  })

  // Not met (BENCHMARKS.md "Concept features"): the engine makes 4 clusters of these five
  // (1+2 join; 3, 4 and 5 each start their own). On five documents idf cannot tell "font" from
  // "orders" or "looks", the young-project threshold is 0.42, and the shared concept (font =
  // typeface) weighs too little to carry them; the young-project rules tried (BENCHMARKS.md) did not
  // join them, and the ones that join young reports more easily cost gitbugs. Session 21 measured
  // why (BENCHMARKS.md "Young clusters"): with all five saying "font", idf weighs it least of their
  // words (pairwise cosines 0.06–0.41); the idf prior and the young second looks tried there merged
  // other problems before these.
  it.todo('puts the five font reports of issue 13 in one cluster')
  // Not met either: "字体怎么变了" and "The fonts on the orders page look different since this
  // morning" score 0.25 on concepts in one order and less in the other (the English report's other
  // concepts — orders, page, morning — dilute the shared one).
  it.todo('puts 字体怎么变了 with an English font report')
})

describe('similar clusters across languages', () => {
  it("lists a Chinese cluster among an English cluster's similar clusters, by the concept cosine", async () => {
    const [en, , zhReport, other] = await cluster([
      'search returns nothing',
      'search gives no results at all',
      '搜索没有结果',
      'the checkout button does nothing',
    ])
    expect(other).not.toBe(en)
    // a responder takes the Chinese report out into a cluster of its own (it had joined the English one)
    const rows = await h!.db.orm.all<{ id: string }>(
      sql`SELECT id FROM reports WHERE project_id = ${h!.project.id} AND message = '搜索没有结果'`,
    )
    const zh =
      zhReport === en ? await h!.deps.engine.move([rows[0]!.id], { newTitle: '搜索没有结果' }, null) : zhReport!
    expect(zh).not.toBe(en)
    const found = await similarClusters(h!.db.orm, en!)
    const hit = found.find((s) => s.clusterId === zh)
    expect(hit).toBeDefined()
    // on the full centroid cosine alone the two share next to nothing: the concept cosine ranks it
    const [a, b] = await loadCentroids(h!.db.orm, [en!, zh])
    const unit = new Map([...a!.sum].map(([k, v]) => [k, v / a!.norm]))
    expect(hit!.similarity).toBeGreaterThan(similarity(unit, b!) * 3)
    expect(found[0]!.clusterId).toBe(zh)
  })
})
