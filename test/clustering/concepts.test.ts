// Concept features (issue 13): words that mean the same meet, across English and Chinese.
// The pipeline cases go through the server's own path: submitReport on a real libSQL file, the
// report pipeline drained, refinement run — on a fresh project, as an incident's first reports are.
import { afterEach, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { chineseSenses, englishSenses } from '../../worker/domain/clustering/concepts.js'
import { conceptShare } from '../../worker/domain/clustering/background.js'
import { DEFAULT_WEIGHTS, textBag, weigh } from '../../worker/domain/clustering/features.js'
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

describe('background frequency of concepts', () => {
  const first = (word: string) => englishSenses(word)![0]![0]

  it('knows "font" is rarer in general text than "look", "page" or "different"', () => {
    for (const common of ['look', 'page', 'different', 'order'])
      expect(conceptShare(first('font'))).toBeLessThan(conceptShare(first(common)) / 10)
  })

  it("weighs a young project's shared concept above the generic ones its reports also share", () => {
    const docs = ['The fonts on the orders page look different', 'Fonts look weird on the orders page']
    const bags = docs.map((d) => textBag(d))
    const df = new Map<string, number>()
    for (const b of bags) for (const k of b.keys()) df.set(k, (df.get(k) ?? 0) + 1)
    const conceptOf = (bgDocs: number, word: string) =>
      weigh(bags[0]!, 2, (k) => df.get(k) ?? 1, { ...DEFAULT_WEIGHTS, bgDocs }).get('c:' + first(word))!
    // both words are in both reports: the project's own df cannot tell them apart
    expect(conceptOf(0, 'font') / conceptOf(0, 'look')).toBeLessThan(1.5)
    expect(conceptOf(1000, 'font') / conceptOf(1000, 'look')).toBeGreaterThan(1.5)
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

  // Not met (BENCHMARKS.md "Background frequency of concepts", session 22): still 4 clusters
  // (1+2 join; 3, 4 and 5 each alone). The background weighs the shared concept (font = typeface)
  // above look/page/order now, but concepts weigh 0.1 of the vector and the words' own cosines to the
  // others' centroid are 0.20-0.39 against the young bar 0.42. The rules that join them (a young
  // concept look, with or without a coverage gate, lower youth, words weighed by the background)
  // each merged other problems first: gitbugs, all young, lost 0.03-0.2 AMI in every one.
  it.todo('puts the five font reports of issue 13 in one cluster')
  // The two orders the reports can arrive in: the concept cosine needs the English report's
  // generic concepts (page, look, order, morning) weighed below the shared one (background.ts).
  it('puts 字体怎么变了 with an English font report, in either order', async () => {
    const en = 'The fonts on the orders page look different since this morning'
    const [a, b] = await cluster([en, '字体怎么变了'])
    expect(b).toBe(a)
    const [c, d] = await cluster(['字体怎么变了', en])
    expect(d).toBe(c)
  })
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
