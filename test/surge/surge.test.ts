import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count, eq } from 'drizzle-orm'
import { outbox, surges } from '../../worker/db/schema/index.js'
import { setClusterStatus } from '../../worker/domain/triage/clusters.js'
import { verifySignature } from '../../worker/domain/notifications/crypto.js'
import { deliverDue } from '../../worker/domain/notifications/index.js'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import {
  activeSurges,
  beganAfterDeploy,
  DEFAULT_SURGE_SETTINGS,
  listSurges,
  recordDeploy,
} from '../../worker/domain/surge/index.js'
import { sql } from 'drizzle-orm'
import { createTestApp, type TestApp } from '../support/db.js'
import { DISTINCT_COMPLAINTS, report } from './helpers.js'
import { startReceiver } from '../notifications/receiver.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const MIN = 60_000
const surgeCount = async () => (await t.db.orm.select({ n: count() }).from(surges).get())!.n
const outboxCount = async () => (await t.db.orm.select({ n: count() }).from(outbox).get())!.n

/** A quiet hour: one different complaint every few minutes. */
async function quietHour(startIndex = 0) {
  for (let i = 0; i < 15; i++) {
    await report(t, DISTINCT_COMPLAINTS[(startIndex + i) % DISTINCT_COMPLAINTS.length]!, `bg-${startIndex}-${i}`)
    t.clock.advance(4 * MIN)
  }
}

describe('cluster surges', () => {
  it('alerts exactly once per surge, signed and Slack-shaped, to a real receiver', async () => {
    const slack = await startReceiver()
    const generic = await startReceiver()
    try {
      await createWebhook(t.deps, { projectId: t.seed.projectId, url: slack.url, kind: 'slack', events: ['surge'] })
      const { secret } = await createWebhook(t.deps, {
        projectId: t.seed.projectId,
        url: generic.url,
        kind: 'generic',
        events: ['surge'],
      })
      await createWebhook(t.deps, {
        projectId: t.seed.projectId,
        url: generic.url + '/other',
        kind: 'generic',
        events: ['incident.created'],
      })
      await quietHour()

      // Eight people report the same thing within four minutes.
      let surgedAt = -1
      for (let i = 0; i < 8; i++) {
        await report(t, 'Ticket scanner beeps twice then freezes', `user-${i}`, { release: 'web@2.0.0' })
        if (surgedAt < 0 && (await surgeCount()) === 1) surgedAt = i
        t.clock.advance(30_000)
      }
      expect(surgedAt).toBe(DEFAULT_SURGE_SETTINGS.cluster.minReports - 1) // the report from the 4th person crosses it
      await Promise.all([slack.waitFor(1), generic.waitFor(1)])

      // It keeps going for a while: still the same surge, no second alert.
      for (let i = 0; i < 10; i++) {
        await report(t, 'Ticket scanner beeps twice then freezes', `late-${i}`)
        t.clock.advance(60_000)
      }
      t.clock.advance(10 * MIN)
      await deliverDue(t.deps)
      await new Promise((r) => setTimeout(r, 200))
      expect(slack.received).toHaveLength(1)
      expect(generic.received).toHaveLength(1)
      expect(await surgeCount()).toBe(1)
      expect(await outboxCount()).toBe(2)

      const surge = (await t.db.orm.select().from(surges).get())!
      const n = DEFAULT_SURGE_SETTINGS.cluster.minReports
      expect(surge).toMatchObject({ scope: 'cluster', reports: n, reporters: n, release: 'web@2.0.0' })
      expect(surge.peakReports).toBeGreaterThan(n)

      const slackBody = JSON.parse(slack.received[0]!.body)
      expect(slackBody.text).toContain(`${n} reports`)
      expect(slackBody.text).toContain('Ticket scanner beeps twice')
      expect(slackBody.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } })
      expect(slackBody.blocks.some((b: any) => b.type === 'section' && b.text?.type === 'mrkdwn')).toBe(true)

      const raw = generic.received[0]!
      const header = raw.headers['x-earshot-signature'] as string
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
      const t0 = Number(header.match(/t=(\d+)/)![1])
      expect(await verifySignature(secret, raw.body, header, t0)).toBe(true)
      expect(await verifySignature(secret, raw.body + ' ', header, t0)).toBe(false)
      expect(await verifySignature('whsec_wrong', raw.body, header, t0)).toBe(false)
      const body = JSON.parse(raw.body)
      expect(body).toMatchObject({
        event: 'surge',
        data: { scope: 'cluster', reports: n, reporters: n, surge_id: surge.id, cluster_id: surge.clusterId },
      })
      expect(raw.headers['x-earshot-event']).toBe('surge')
    } finally {
      await slack.close()
      await generic.close()
    }
  })

  it('needs enough different people: one person repeating themselves is not a surge', async () => {
    await quietHour()
    for (let i = 0; i < 12; i++) {
      await report(t, 'The fonts look different since this morning', i % 2 ? 'same-a' : 'same-b')
      t.clock.advance(10_000)
    }
    expect(await surgeCount()).toBe(0)
  })

  it('surges again only after the first surge calmed down', async () => {
    await quietHour()
    const burst = async (tag: string) => {
      for (let i = 0; i < 6; i++) {
        await report(t, 'Checkout button does nothing when I click it', `${tag}-${i}`)
        t.clock.advance(20_000)
      }
    }
    await burst('a')
    expect(await surgeCount()).toBe(1)
    expect((await activeSurges(t.db.orm, [t.seed.projectId], t.clock.now())).map((s) => s.scope)).toEqual(['cluster'])
    t.clock.advance(3 * 60 * MIN) // quiet for three hours: the first surge is over
    expect(await activeSurges(t.db.orm, [t.seed.projectId], t.clock.now())).toEqual([])
    await burst('b')
    await burst('c')
    const all = await listSurges(t.db.orm, t.seed.projectId, { now: t.clock.now() })
    expect(all).toHaveLength(2)
    expect(all[1]!.endedAt).not.toBeNull()
    expect(all[0]!.active).toBe(true)
  })

  it('does not alert for a muted cluster', async () => {
    const rx = await startReceiver()
    try {
      await createWebhook(t.deps, { projectId: t.seed.projectId, url: rx.url, kind: 'slack', events: ['surge'] })
      await quietHour()
      const first = await report(t, 'Where did the pricing page go?', 'muter-0')
      await setClusterStatus(t.deps, first.clusterId!, 'muted')
      for (let i = 1; i < 30; i++) {
        const r = await report(t, 'Where did the pricing page go?', `muter-${i}`)
        expect(r.clusterId).toBe(first.clusterId)
        t.clock.advance(10_000)
      }
      await deliverDue(t.deps)
      expect(await surgeCount()).toBe(0) // neither the cluster nor the project
      expect(await outboxCount()).toBe(0)
      expect(rx.received).toHaveLength(0)
    } finally {
      await rx.close()
    }
  })
})

/** An hour and a quarter of ordinary traffic (one different complaint every 2.5 minutes): the project's baseline. */
async function ordinaryHours() {
  for (let i = 0; i < 30; i++) {
    await report(t, DISTINCT_COMPLAINTS[i % DISTINCT_COMPLAINTS.length]!, `bg-${i}`)
    t.clock.advance(2.5 * MIN)
  }
}

describe('project-wide surges', () => {
  it('alerts when many different complaints arrive at once, and names the deploy it followed', async () => {
    const rx = await startReceiver()
    try {
      await createWebhook(t.deps, { projectId: t.seed.projectId, url: rx.url, kind: 'generic', events: ['surge'] })
      await ordinaryHours()
      expect(await surgeCount()).toBe(0)
      const deploy = await recordDeploy(t.deps, t.seed.projectId, { release: 'web@3.0.0', environment: 'production' })
      t.clock.advance(7 * MIN)
      // The site rolled back: 40 different complaints in four minutes, none of them repeated.
      for (let i = 0; i < DISTINCT_COMPLAINTS.length; i++) {
        await report(t, DISTINCT_COMPLAINTS[i]!, `angry-${i}`, { release: 'web@3.0.0' })
        t.clock.advance(6_000)
      }
      await rx.waitFor(1)
      const all = await t.db.orm.select().from(surges).all()
      expect(all.filter((s) => s.scope === 'project')).toHaveLength(1)
      const surge = all.find((s) => s.scope === 'project')!
      expect(surge.deployId).toBe(deploy.id)
      expect(surge.deployRelease).toBe('web@3.0.0')
      const body = JSON.parse(rx.received[0]!.body)
      expect(body.data).toMatchObject({ scope: 'project', deploy: { release: 'web@3.0.0', id: deploy.id } })
      expect(body.data.deploy.minutes_before).toBeGreaterThanOrEqual(7)
      expect(body.text).toContain('after release web@3.0.0')

      const note = await beganAfterDeploy(t.db.orm, t.seed.projectId, surge.startedAt)
      expect(note?.release).toBe('web@3.0.0')
      expect(note?.text).toBe(`began ${note!.minutesAfter} minutes after release web@3.0.0`)
      const [active] = await activeSurges(t.db.orm, [t.seed.projectId], t.clock.now())
      expect(active?.deploy?.release).toBe('web@3.0.0')
    } finally {
      await rx.close()
    }
  })

  it('does not page for the project when one cluster already explains the jump', async () => {
    await ordinaryHours()
    for (let i = 0; i < 25; i++) {
      await report(t, 'Password reset email never arrives for me', `pw-${i}`)
      t.clock.advance(5_000)
    }
    const all = await t.db.orm.select().from(surges).all()
    expect(all.map((s) => s.scope)).toEqual(['cluster'])
  })
})

describe('topic surges', () => {
  it('alerts once when many people use the same unusual word in different complaints', async () => {
    const { setSurgeSettings } = await import('./helpers.js')
    // Clusters effectively off, so only the shared word can reveal the surge.
    await setSurgeSettings(t, { cluster: { minReports: 1000 } })
    await quietHour()
    const sentences = [
      'Zorblax export crashed halfway',
      'my zorblax dashboard is empty',
      'cannot open zorblax on mobile',
      'zorblax charts show nothing since noon',
      'the zorblax page spins forever',
      'zorblax says access denied',
      'lost all my zorblax settings',
    ]
    for (let i = 0; i < sentences.length; i++) {
      await report(t, sentences[i]!, `z-${i}`)
      t.clock.advance(30_000)
    }
    const all = await t.db.orm.select().from(surges).all()
    expect(all).toHaveLength(1)
    const n = DEFAULT_SURGE_SETTINGS.topic.minReports
    expect(all[0]).toMatchObject({ scope: 'topic', topic: 'zorblax', reports: n, reporters: n })
  })

  it('alerts one wave once, whichever scope (its cluster or one of its words) sees it first', async () => {
    await quietHour()
    for (let i = 0; i < 10; i++) {
      await report(t, 'Zorblax export crashed halfway', `z-${i}`)
      t.clock.advance(20_000)
    }
    const all = await t.db.orm.select().from(surges).all()
    expect(all).toHaveLength(1)
    expect(['cluster', 'topic']).toContain(all[0]!.scope)
  })
})

describe('deploy markers', () => {
  it('ignores deploys after the surge and older than the lookback', async () => {
    await recordDeploy(t.deps, t.seed.projectId, { release: 'web@0.9.0' })
    t.clock.advance(30 * 60 * MIN)
    expect(await beganAfterDeploy(t.db.orm, t.seed.projectId, t.clock.now())).toBeUndefined()
    const d = await recordDeploy(t.deps, t.seed.projectId, { release: 'web@1.0.0' })
    t.clock.advance(3 * MIN)
    const at = t.clock.now()
    t.clock.advance(MIN)
    await recordDeploy(t.deps, t.seed.projectId, { release: 'web@1.0.1' })
    expect(await beganAfterDeploy(t.db.orm, t.seed.projectId, at)).toMatchObject({
      deployId: d.id,
      minutesAfter: 3,
      text: 'began 3 minutes after release web@1.0.0',
    })
  })
})

describe('per-project settings', () => {
  it('can be turned off, and thresholds changed, in projects.settings.surge', async () => {
    const { setSurgeSettings } = await import('./helpers.js')
    await setSurgeSettings(t, { enabled: false })
    await quietHour()
    for (let i = 0; i < 10; i++) await report(t, 'Search results are empty for everything', `s-${i}`)
    expect(await surgeCount()).toBe(0)
    await setSurgeSettings(t, { cluster: { minReports: 3, minReporters: 3 } })
    t.clock.advance(60 * MIN)
    for (let i = 0; i < 3; i++) await report(t, 'Map tiles fail to load near my city', `m-${i}`)
    expect(await surgeCount()).toBe(1)
    expect(eq).toBeDefined()
  })
})

describe('merged clusters', () => {
  it('count together from the merge on: a problem first split over two clusters surges, each person once', async () => {
    await quietHour()
    const a1 = await report(t, 'The invoice PDF download is blank', 'merge-r1')
    await report(t, 'The invoice PDF download is blank again', 'merge-r2')
    const b1 = await report(t, 'Receipts show someone else’s address', 'merge-r2')
    await report(t, 'Receipts show someone else’s address today', 'merge-r3')
    expect(a1.clusterId).not.toBe(b1.clusterId)
    expect(await surgeCount()).toBe(0)

    await t.deps.engine.merge(a1.clusterId!, b1.clusterId!, null)
    const minute = Math.floor(t.clock.now() / MIN)
    const rows = await t.db.orm.all<{ scope: string; reports: number; reporters: number }>(
      sql`SELECT scope, sum(reports) AS reports, sum(reporters_last) AS reporters FROM surge_buckets
          WHERE project_id = ${t.seed.projectId} AND scope IN (${b1.clusterId!}, ${a1.clusterId!})
            AND minute BETWEEN ${minute - 4} AND ${minute} GROUP BY scope`,
    )
    const counts = new Map(rows.map((r) => [r.scope, { reports: Number(r.reports), reporters: Number(r.reporters) }]))
    // Four reports, three different people (merge-r2 reported in both clusters).
    expect(counts.get(b1.clusterId!)).toEqual({ reports: 4, reporters: 3 })
    expect(counts.has(a1.clusterId!)).toBe(false)

    const fifth = await report(t, 'Receipts show someone else’s address on the invoice', 'merge-r4')
    expect(fifth.clusterId).toBe(b1.clusterId)
    const [surge] = await listSurges(t.db.orm, t.seed.projectId)
    expect(surge).toMatchObject({ scope: 'cluster', clusterId: b1.clusterId, reports: 5, reporters: 4 })
  })
})
