// Issue 13 "surges that mean something": topic surges shown as the word and the clusters it spans
// (never a badge on one of them), generic words never surging on their own, distinct people
// counted as people, and slow burns.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { surges } from '../../worker/db/schema/index.js'
import { getProject } from '../../worker/domain/projects/projects.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { DEFAULT_SURGE_SETTINGS } from '../../worker/domain/surge/settings.js'
import { isGenericTerm, topicTerms } from '../../worker/domain/surge/topics.js'
import { signIn } from '../dashboard/helpers.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { clusterOf } from '../support/pipeline.js'
import { demoProject, DISTINCT_COMPLAINTS, report, setSurgeSettings } from './helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const MIN = 60_000
const allSurges = () => t.db.orm.select().from(surges).all()

async function quietHour() {
  for (let i = 0; i < 15; i++) {
    await report(t, DISTINCT_COMPLAINTS[i % DISTINCT_COMPLAINTS.length]!, `bg-${i}`)
    t.clock.advance(4 * MIN)
  }
}

describe('topic surges', () => {
  it('are served as the word, its clusters, the reports and people across them; no cluster wears it', async () => {
    // Clusters effectively off, so the shared word is what surges (as when the engine splits a new problem).
    await setSurgeSettings(t, { cluster: { minReports: 1000 }, slow: { enabled: false } })
    await quietHour()
    const sentences = [
      'Zorblax export crashed halfway',
      'my zorblax dashboard is empty',
      'cannot open zorblax on mobile',
      'zorblax charts show nothing since noon',
      'zorblax says access denied',
    ]
    const clusters = new Set<string>()
    for (let i = 0; i < sentences.length; i++) {
      clusters.add((await report(t, sentences[i]!, `z-${i}`)).clusterId!)
      t.clock.advance(30_000)
    }
    expect(clusters.size).toBeGreaterThanOrEqual(2)
    const [surge] = await allSurges()
    expect(surge).toMatchObject({ scope: 'topic', topic: 'zorblax' })

    const admin = await signIn(t)
    const list = await (await admin.get('/api/clusters')).json()
    expect(list.topic_surges).toHaveLength(1)
    const topic = list.topic_surges[0]
    expect(topic).toMatchObject({
      topic: 'zorblax',
      scope: 'topic',
      total_reports: sentences.length,
      people: sentences.length,
      project_id: t.seed.projectId,
    })
    expect(new Set(topic.clusters.map((c: { id: string }) => c.id))).toEqual(clusters)
    expect(topic.clusters.reduce((n: number, c: { reports: number }) => n + c.reports, 0)).toBe(sentences.length)
    // Not a badge on the cluster the crossing report happened to land in.
    for (const row of list.clusters) expect(row.surge).toBeNull()
    for (const id of clusters) {
      const page = await (await admin.get(`/api/clusters/${id}`)).json()
      expect(page.cluster.surge).toBeNull()
      expect(page.topic_surges.map((s: { id: string }) => s.id)).toEqual([topic.id])
    }

    // "Merge these" (what the dashboard does: the existing merge route, pairwise into the largest).
    const [target, ...rest] = topic.clusters as { id: string }[]
    for (const c of rest) {
      const res = await admin.post(`/api/clusters/${c.id}/merge`, { into_id: target!.id })
      expect(res.status).toBe(200)
    }
    const after = (await (await admin.get('/api/clusters')).json()).topic_surges[0]
    expect(after.clusters).toEqual([expect.objectContaining({ id: target!.id, reports: sentences.length })])
  })
})

describe('generic words', () => {
  it('page, site, app, 页面, 网站 and stop words are never topics', () => {
    for (const w of [
      'page',
      'pages',
      'site',
      'website',
      'webpage',
      'app',
      'application',
      'screen',
      '页面',
      '网站',
      '网页',
      '应用',
      'the',
      'one',
      'new',
    ]) {
      expect(topicTerms(`${w} ${w}`), w).toEqual([])
    }
    expect(topicTerms('页面打不开了')).toEqual(['打不开'])
    expect(topicTerms('Fonts look weird on the orders page, like a serif font')).toEqual([
      'font',
      'weird',
      'order',
      'serif',
    ])
    expect(isGenericTerm('font')).toBe(false)
  })

  it('many different problems on "the page" in a few minutes raise no surge on the word', async () => {
    await setSurgeSettings(t, { cluster: { minReports: 1000 }, project: { minReports: 1000 } })
    await quietHour()
    const sentences = [
      'the orders page shows serif fonts',
      'pricing page vanished from the site',
      'this page is so slow in the app',
      'checkout page says card declined',
      'the page forgets my login',
      'images missing on the product page',
      'search page returns nothing on the website',
      '页面打不开了',
      '网站的价格页面显示错了',
      '这个页面加载太慢',
    ]
    for (let i = 0; i < sentences.length; i++) {
      await report(t, sentences[i]!, `p-${i}`)
      t.clock.advance(20_000)
    }
    const words = (await allSurges()).map((s) => s.topic)
    for (const w of ['page', 'site', 'websit', 'app', '页面', '页', '面', '网站']) expect(words).not.toContain(w)
  })

  it('a cluster with no distinctive word ("the page is broken") does not surge as a cluster', async () => {
    await setSurgeSettings(t, { topic: { enabled: false }, project: { minReports: 1000 } })
    await quietHour()
    for (let i = 0; i < 8; i++) {
      await report(t, 'the page on the site', `g-${i}`)
      t.clock.advance(20_000)
    }
    expect(await allSurges()).toEqual([])
  })
})

describe('distinct people', () => {
  async function reportAs(message: string, who: { reporter: string; address: string; user?: string }) {
    const project = (await getProject(t.db.orm, (await demoProject(t)).workspaceId, t.seed.projectId))!
    const accepted = await submitReport(
      t.deps,
      project,
      { message, reporter_id: who.reporter, context: who.user ? { user: { id: who.user } } : undefined },
      { clientKey: `key-${who.address}` },
    )
    await clusterOf(t.deps, accepted.id)
  }

  it('an identify() user counts once across browsers and networks; made-up ids from one address: once', async () => {
    await setSurgeSettings(t, {
      cluster: { minReports: 4, minReporters: 5 },
      topic: { enabled: false },
      slow: { enabled: false },
    })
    await quietHour()
    const msg = 'Ticket scanner beeps twice then freezes'
    // Three signed-in customers, each on a laptop and a phone (different browsers, different networks).
    for (const user of ['u1', 'u2', 'u3'])
      for (const device of ['laptop', 'phone']) {
        await reportAs(msg, { reporter: `${user}-${device}`, address: `${user}-${device}-net`, user })
        t.clock.advance(10_000)
      }
    // One script at one address inventing reporter ids and identify() users.
    for (let i = 0; i < 6; i++) {
      await reportAs(msg, { reporter: `bot-${i}`, address: 'bot-net', user: `bot-user-${i}` })
      t.clock.advance(5_000)
    }
    // 12 reports, 12 reporter ids, 7 addresses, 9 users: 3 customers + 1 script = 4 people.
    expect(await allSurges()).toEqual([])
    // A fifth person (anonymous, own network) crosses the threshold of 5.
    await reportAs(msg, { reporter: 'anon-1', address: 'anon-net' })
    const [surge, ...more] = await allSurges()
    expect(more).toEqual([])
    expect(surge).toMatchObject({ scope: 'cluster', reporters: 5, reports: 13 })
  })
})

describe('slow burns', () => {
  it('a rate above baseline for half an hour alerts though no 5-minute window is extreme', async () => {
    await setSurgeSettings(t, { topic: { enabled: false } })
    await quietHour()
    await quietHour()
    const fast = DEFAULT_SURGE_SETTINGS.cluster.minReports
    const slow = DEFAULT_SURGE_SETTINGS.slow
    let alertedAt = -1
    for (let i = 0; i < 16; i++) {
      await report(t, 'Ticket scanner beeps twice then freezes', `slow-${i}`)
      if (alertedAt < 0 && (await allSurges()).length) alertedAt = i
      t.clock.advance(2.5 * MIN) // 2 reports per 5 minutes: below the fast window's 4
    }
    expect(2).toBeLessThan(fast)
    const [surge, ...more] = await allSurges()
    expect(more).toEqual([])
    expect(surge).toMatchObject({ scope: 'cluster', windowMinutes: slow.windowMinutes })
    expect(surge!.reports).toBeGreaterThanOrEqual(slow.minReports)
    expect(alertedAt).toBe(slow.minReports - 1)
  })
})
