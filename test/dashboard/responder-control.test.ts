// Issue 13 "responders keep control": renaming (a human title survives ingest and refinement),
// automatic summary titles, similar clusters, merging several at once with an undo whose counters
// equal a recount, and recurrence after a resolved incident ("may be back"). Real app + libSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { keptApart, pairKey } from '../../worker/domain/clustering/corrections.js'
import { TITLE_MAX } from '../../worker/domain/clustering/title.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { addMember, report, signIn, type Client } from './helpers.js'

let t: TestApp
let owner: Client
beforeEach(async () => {
  t = await createTestApp()
  owner = await signIn(t)
})
afterEach(() => t.close())

const rows = async <T>(q: string, ...args: (string | number)[]) =>
  (await t.db.client.execute({ sql: q, args })).rows as unknown as T[]

/** What a cluster's counters would be if counted again from its reports. */
async function recounted(clusterId: string) {
  const [c] = await rows<{ n: number; people: number; first: number; last: number }>(
    `SELECT count(*) AS n, count(DISTINCT reporter_id) AS people, min(created_at) AS first, max(created_at) AS last
      FROM reports WHERE cluster_id = ?`,
    clusterId,
  )
  const routes = await rows<{ value: string; n: number }>(
    `SELECT route AS value, count(*) AS n FROM reports
      WHERE cluster_id = ? AND route IS NOT NULL GROUP BY route ORDER BY route`,
    clusterId,
  )
  const hourly = await rows<{ n: number }>(`SELECT count(*) AS n FROM reports WHERE cluster_id = ?`, clusterId)
  return {
    report_count: Number(c!.n),
    reporter_count: Number(c!.people),
    first: Number(c!.first),
    last: Number(c!.last),
    routes: routes.map((r) => [r.value, Number(r.n)]),
    hourly: Number(hourly[0]!.n),
  }
}
async function stored(clusterId: string) {
  const [c] = await rows<{ report_count: number; reporter_count: number; first_seen_at: number; last_seen_at: number }>(
    'SELECT report_count, reporter_count, first_seen_at, last_seen_at FROM clusters WHERE id = ?',
    clusterId,
  )
  const routes = await rows<{ value: string; count: number }>(
    `SELECT value, count FROM cluster_breakdowns WHERE cluster_id = ? AND dimension = 'route' ORDER BY value`,
    clusterId,
  )
  const [h] = await rows<{ n: number | null }>(
    'SELECT sum(count) AS n FROM cluster_hourly WHERE cluster_id = ?',
    clusterId,
  )
  return {
    report_count: Number(c!.report_count),
    reporter_count: Number(c!.reporter_count),
    first: Number(c!.first_seen_at),
    last: Number(c!.last_seen_at),
    routes: routes.map((r) => [r.value, Number(r.count)]),
    hourly: Number(h!.n ?? 0),
  }
}

describe('titles', () => {
  it('renames a cluster; a human title survives new reports and refinement; null restores the automatic', async () => {
    const a = await report(t, 'The fonts on the orders page look different', { reporter_id: 'r1' })
    const renamed = await owner.json('PATCH', `/api/clusters/${a.cluster_id}`, {
      title: '  Orders page  font regression ',
    })
    expect(renamed.status).toBe(200)
    expect(renamed.body.cluster).toMatchObject({ title: 'Orders page font regression', title_source: 'human' })
    const b = await report(t, 'The fonts on the orders page look different since today', { reporter_id: 'r2' })
    expect(b.cluster_id).toBe(a.cluster_id)
    await t.deps.engine.refine(t.seed.projectId)
    const page = await owner.json('GET', `/api/clusters/${a.cluster_id}`)
    expect(page.body.cluster).toMatchObject({
      title: 'Orders page font regression',
      title_source: 'human',
      report_count: 2,
    })
    const list = await owner.json('GET', '/api/clusters')
    expect(list.body.clusters[0]).toMatchObject({
      id: a.cluster_id,
      title: 'Orders page font regression',
      title_source: 'human',
    })

    const back = await owner.json('PATCH', `/api/clusters/${a.cluster_id}`, { title: null })
    expect(back.body.cluster.title_source).toBe('auto')
    expect(back.body.cluster.title).toMatch(/^The fonts on the orders page look different/)
  })

  it('refuses empty or overlong titles (stable code, nothing changed); viewers, support cannot rename', async () => {
    const a = await report(t, 'Checkout button does nothing')
    for (const body of [{ title: '   ' }, { title: 'x'.repeat(201) }, {}, { title: 5 }]) {
      const res = await owner.json('PATCH', `/api/clusters/${a.cluster_id}`, body)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_body')
    }
    for (const role of ['viewer', 'support'] as const) {
      const who = await addMember(t, `${role}@acme.test`, role)
      expect((await who.json('PATCH', `/api/clusters/${a.cluster_id}`, { title: 'Mine' })).status).toBe(403)
    }
    expect((await owner.json('GET', `/api/clusters/${a.cluster_id}`)).body.cluster).toMatchObject({
      title: 'Checkout button does nothing',
      title_source: 'auto',
    })
  })

  it('titles a long report as a summary cut at a word boundary, not a raw 120-character quote', async () => {
    const long =
      'Hello, so since this morning the checkout page keeps failing whenever I try to pay with my visa card ' +
      'and it says the card was declined, ' +
      'but my bank says everything is fine and the same card works on every other shop I use, please fix this soon'
    const a = await report(t, long)
    const { title } = (await owner.json('GET', `/api/clusters/${a.cluster_id}`)).body.cluster
    expect(title.length).toBeLessThanOrEqual(TITLE_MAX)
    expect(title).toMatch(/^Hello, so since this morning the checkout page keeps failing/)
    expect(title).toContain('…')
    // the word before the ellipsis is a whole word of the report
    const lastWord = title.split('…')[0].trim().split(/\s+/).pop()!.replace(/[,.]$/, '')
    expect(long.split(/[\s,]+/)).toContain(lastWord)
    const cjk = await report(
      t,
      '从今天早上开始，订单页面上的字体全部都变成了宋体，看起来非常奇怪而且很难阅读，我们的客户也都在抱怨这个问题，希望你们可以尽快修复它，谢谢你们的帮助和耐心，真的非常感谢你们团队的努力工作',
    )
    const cjkTitle = (await owner.json('GET', `/api/clusters/${cjk.cluster_id}`)).body.cluster.title as string
    expect(cjkTitle.length).toBeLessThanOrEqual(TITLE_MAX)
    expect(cjkTitle.startsWith('从今天早上开始')).toBe(true)
  })
})

describe('merging several clusters with undo', () => {
  it('merges three clusters, says how many reports moved; undo restores both sides (counters = recount)', async () => {
    const into = await report(t, 'Login loop after entering my password', { reporter_id: 'p1', route: '/login' })
    await report(t, 'Login loop after entering my password', { reporter_id: 'p2', route: '/login' })
    const one = await report(t, 'The map on the store page is grey', { reporter_id: 'p1', route: '/stores' })
    const two = await report(t, 'Invoices export button does nothing', { reporter_id: 'p3', route: '/billing' })
    await report(t, 'Invoices export button does nothing', { reporter_id: 'p4', route: '/billing' })
    await report(t, 'Invoices export button does nothing', { reporter_id: 'p1', route: '/billing/export' })
    expect(new Set([into.cluster_id, one.cluster_id, two.cluster_id]).size).toBe(3)
    const before = {
      into: await stored(into.cluster_id),
      one: await stored(one.cluster_id),
      two: await stored(two.cluster_id),
    }

    const res = await owner.json('POST', '/api/clusters/merge', {
      into_id: into.cluster_id,
      source_ids: [one.cluster_id, two.cluster_id],
    })
    expect(res.status).toBe(200)
    expect(res.body.cluster).toMatchObject({ id: into.cluster_id, report_count: 6, reporter_count: 4 })
    expect(res.body.merge).toMatchObject({
      reports: 4,
      merged: [
        { cluster_id: one.cluster_id, reports: 1 },
        { cluster_id: two.cluster_id, reports: 3 },
      ],
    })
    expect(Date.parse(res.body.merge.undo_until) - t.clock.now()).toBe(10 * 60_000)
    expect((await owner.json('GET', '/api/clusters')).body.clusters.map((c: any) => c.id)).toEqual([into.cluster_id])

    // A report that arrives during the window joins the merged cluster and stays there after undo.
    t.clock.advance(60_000)
    const late = await report(t, 'Login loop after entering my password again', { reporter_id: 'p5', route: '/login' })
    expect(late.cluster_id).toBe(into.cluster_id)

    const undo = await owner.json('POST', `/api/merges/${res.body.merge.group_id}/undo`, {})
    expect(undo.status).toBe(200)
    expect(undo.body.restored.map((c: any) => c.id).sort()).toEqual([one.cluster_id, two.cluster_id].sort())
    expect(await stored(one.cluster_id)).toEqual(before.one)
    expect(await stored(two.cluster_id)).toEqual(before.two)
    for (const id of [into.cluster_id, one.cluster_id, two.cluster_id])
      expect(await stored(id)).toEqual(await recounted(id))
    expect((await stored(into.cluster_id)).report_count).toBe(before.into.report_count + 1)
    const list = (await owner.json('GET', '/api/clusters')).body.clusters.map((c: any) => c.id).sort()
    expect(list).toEqual([into.cluster_id, one.cluster_id, two.cluster_id].sort())
    // Each restored cluster is a candidate again: its own kind of report joins it.
    expect(
      (await report(t, 'Invoices export button does nothing', { reporter_id: 'p6', route: '/billing' })).cluster_id,
    ).toBe(two.cluster_id)
    // Kept apart from now on: refinement does not merge them again.
    const apart = await keptApart(t.db.orm, t.seed.projectId)
    expect(apart.has(pairKey(into.cluster_id, one.cluster_id))).toBe(true)
    await t.deps.engine.refine(t.seed.projectId)
    expect((await owner.json('GET', `/api/clusters/${two.cluster_id}`)).body.cluster.merged_into_id).toBeNull()

    const again = await owner.json('POST', `/api/merges/${res.body.merge.group_id}/undo`, {})
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('already_undone')
  })

  it('refuses, changing nothing: undo after the window (410), superseded undo (409), bad merges (400)', async () => {
    const a = await report(t, 'Search shows no results for anything')
    const b = await report(t, 'Prices on the product page are wrong')
    const c = await report(t, 'Emails with receipts never arrive')
    const ab = await owner.json('POST', `/api/clusters/${a.cluster_id}/merge`, { into_id: b.cluster_id })
    expect(ab.body.merge.reports).toBe(1)
    const bc = await owner.json('POST', `/api/clusters/${b.cluster_id}/merge`, { into_id: c.cluster_id })
    const superseded = await owner.json('POST', `/api/merges/${ab.body.merge.group_id}/undo`, {})
    expect(superseded.status).toBe(409)
    expect(superseded.body.error.code).toBe('merge_superseded')
    t.clock.advance(10 * 60_000 + 1)
    const expired = await owner.json('POST', `/api/merges/${bc.body.merge.group_id}/undo`, {})
    expect(expired.status).toBe(410)
    expect(expired.body.error.code).toBe('undo_expired')
    expect((await owner.json('GET', `/api/clusters/${c.cluster_id}`)).body.cluster.report_count).toBe(3)
    expect((await owner.json('POST', '/api/merges/mrg_nothing/undo', {})).status).toBe(404)

    const d = await report(t, 'The dashboard takes a minute to load')
    for (const body of [
      { into_id: d.cluster_id, source_ids: [] },
      { into_id: d.cluster_id, source_ids: [d.cluster_id] },
      { into_id: d.cluster_id, source_ids: [a.cluster_id] },
      { source_ids: [c.cluster_id] },
    ]) {
      const res = await owner.json('POST', '/api/clusters/merge', body)
      expect(res.status).toBe(400)
      expect(typeof res.body.error.code).toBe('string')
    }
    expect((await owner.json('GET', `/api/clusters/${d.cluster_id}`)).body.cluster.report_count).toBe(1)
    expect((await owner.json('GET', `/api/clusters/${c.cluster_id}`)).body.cluster.merged_into_id).toBeNull()
  })

  it('lets only responders and owners merge and undo', async () => {
    const a = await report(t, 'Images are missing on the home page')
    const b = await report(t, 'The whole site shows old content from months ago')
    const merged = await owner.json('POST', '/api/clusters/merge', {
      into_id: b.cluster_id,
      source_ids: [a.cluster_id],
    })
    for (const role of ['viewer', 'support'] as const) {
      const who = await addMember(t, `${role}@acme.test`, role)
      expect((await who.json('POST', `/api/merges/${merged.body.merge.group_id}/undo`, {})).status).toBe(403)
      expect(
        (await who.json('POST', '/api/clusters/merge', { into_id: a.cluster_id, source_ids: [b.cluster_id] })).status,
      ).toBe(403)
    }
    const responder = await addMember(t, 'responder@acme.test', 'responder')
    expect((await responder.json('POST', `/api/merges/${merged.body.merge.group_id}/undo`, {})).status).toBe(200)
  })
})

describe('similar clusters', () => {
  it('ranks other clusters by centroid similarity, across languages via shared route and error features', async () => {
    const fonts = await report(t, 'Fonts on the orders page look like Times New Roman', { route: '/orders' })
    const fonts2 = await report(t, 'the orders table font looks weird and ugly now', {
      route: '/orders',
      reporter_id: 'x',
    })
    const cjk = await report(t, '订单页面的字体怎么变了', { route: '/orders' })
    const other = await report(t, 'Checkout says my card was declined', { route: '/checkout' })
    const ids = new Set([fonts.cluster_id, fonts2.cluster_id, cjk.cluster_id, other.cluster_id])
    const focus = fonts.cluster_id
    const res = await owner.json('GET', `/api/clusters/${focus}/similar`)
    expect(res.status).toBe(200)
    const list = res.body.similar as { cluster: { id: string }; similarity: number }[]
    expect(list.map((s) => s.cluster.id)).not.toContain(focus)
    const sims = list.map((s) => s.similarity)
    expect(sims).toEqual([...sims].sort((a, b) => b - a))
    if (ids.has(cjk.cluster_id) && cjk.cluster_id !== focus)
      expect(list.map((s) => s.cluster.id)).toContain(cjk.cluster_id)
    const rank = (id: string) => list.findIndex((s) => s.cluster.id === id)
    if (fonts2.cluster_id !== focus) expect(rank(fonts2.cluster_id)).toBeGreaterThanOrEqual(0)
    if (rank(other.cluster_id) >= 0 && fonts2.cluster_id !== focus)
      expect(rank(fonts2.cluster_id)).toBeLessThan(rank(other.cluster_id))
    const viewer = await addMember(t, 'viewer@acme.test', 'viewer')
    expect((await viewer.json('GET', `/api/clusters/${focus}/similar`)).status).toBe(200)
  })
})

describe('recurrence', () => {
  it('a report after the incident is resolved reopens its cluster; incident "may be back" till dismissed', async () => {
    const first = await report(t, 'Checkout fails with an error when I pay', { route: '/checkout' })
    await report(t, 'Checkout fails with an error when I pay by card', { route: '/checkout', reporter_id: 'b' })
    const declared = await owner.json('POST', '/api/incidents', {
      cluster_id: first.cluster_id,
      title: 'Checkout fails',
      message: 'Looking into it.',
    })
    const incidentId = declared.body.incident.id as string
    t.clock.advance(60_000)
    expect(
      (await owner.json('POST', `/api/incidents/${incidentId}/updates`, { status: 'resolved', message: 'Fixed.' }))
        .status,
    ).toBe(201)
    expect((await owner.json('GET', `/api/clusters/${first.cluster_id}`)).body.cluster.status).toBe('resolved')
    expect((await owner.json('GET', `/api/incidents/${incidentId}`)).body.incident.may_be_back_at).toBeNull()

    t.clock.advance(3_600_000)
    const again = await report(t, 'Checkout fails with an error when I pay again', {
      route: '/checkout',
      reporter_id: 'c',
    })
    expect(again.cluster_id).toBe(first.cluster_id)
    const cluster = (await owner.json('GET', `/api/clusters/${first.cluster_id}`)).body
    expect(cluster.cluster).toMatchObject({ status: 'open', report_count: 3, incident_id: incidentId })
    const incident = (await owner.json('GET', `/api/incidents/${incidentId}`)).body.incident
    expect(incident).toMatchObject({ status: 'resolved', reports_since_resolved: 1 })
    expect(Date.parse(incident.may_be_back_at)).toBe(t.clock.now())
    const list = (await owner.json('GET', '/api/incidents')).body.incidents
    expect(list.find((i: any) => i.id === incidentId).may_be_back_at).not.toBeNull()

    const support = await addMember(t, 'support@acme.test', 'support')
    expect((await support.json('POST', `/api/incidents/${incidentId}/recurrence/dismiss`, {})).status).toBe(403)
    const dismissed = await owner.json('POST', `/api/incidents/${incidentId}/recurrence/dismiss`, {})
    expect(dismissed.status).toBe(200)
    expect(dismissed.body.incident.may_be_back_at).toBeNull()
  })

  it('reopening the incident clears the mark; a muted cluster stays muted and flags nothing', async () => {
    const a = await report(t, 'Password reset e-mails never arrive', { route: '/reset' })
    const inc = (
      await owner.json('POST', '/api/incidents', {
        cluster_id: a.cluster_id,
        title: 'Reset e-mails',
        message: 'Looking.',
      })
    ).body.incident.id
    await owner.json('POST', `/api/incidents/${inc}/updates`, { status: 'resolved', message: 'Fixed.' })
    t.clock.advance(60_000)
    await report(t, 'Password reset e-mails never arrive at all', { route: '/reset', reporter_id: 'z' })
    expect((await owner.json('GET', `/api/incidents/${inc}`)).body.incident.may_be_back_at).not.toBeNull()
    const reopened = await owner.json('POST', `/api/incidents/${inc}/updates`, {
      status: 'investigating',
      message: 'It is back.',
    })
    expect(reopened.body.incident).toMatchObject({ status: 'investigating', may_be_back_at: null })

    const m = await report(t, 'Dark mode colours are wrong in settings', { route: '/settings' })
    const inc2 = (
      await owner.json('POST', '/api/incidents', { cluster_id: m.cluster_id, title: 'Dark mode', message: 'Looking.' })
    ).body.incident.id
    await owner.json('POST', `/api/incidents/${inc2}/updates`, { status: 'resolved', message: 'Fixed.' })
    await owner.json('POST', `/api/clusters/${m.cluster_id}/status`, { status: 'muted' })
    await report(t, 'Dark mode colours are wrong in settings again', { route: '/settings', reporter_id: 'y' })
    expect((await owner.json('GET', `/api/clusters/${m.cluster_id}`)).body.cluster.status).toBe('muted')
    expect((await owner.json('GET', `/api/incidents/${inc2}`)).body.incident.may_be_back_at).toBeNull()
  })
})
