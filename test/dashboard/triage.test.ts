import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { reports } from '../../worker/db/schema/index.js'
import { clusterCorrections } from '../../worker/db/schema/clustering.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { addMember, otherWorkspace, report, signIn, type Client } from './helpers.js'

let t: TestApp
let owner: Client
beforeEach(async () => {
  t = await createTestApp()
  owner = await signIn(t)
})
afterEach(() => t.close())

describe('clusters list', () => {
  it('lists clusters newest first with counts, reporters, sparkline, top route and release', async () => {
    const a = await report(t, 'The fonts look different', { reporter_id: 'r1', route: '/checkout', release: 'web@2' })
    await report(t, 'The fonts look different', { reporter_id: 'r2', route: '/checkout', release: 'web@2' })
    t.clock.advance(60_000)
    const b = await report(t, 'Where did the pricing page go?', {
      reporter_id: 'r3',
      route: '/pricing',
      release: 'web@1',
    })
    const { status, body } = await owner.json('GET', '/api/clusters')
    expect(status).toBe(200)
    expect(body.clusters.map((c: any) => c.id)).toEqual([b.cluster_id, a.cluster_id])
    const fonts = body.clusters[1]
    expect(fonts).toMatchObject({
      report_count: 2,
      reporter_count: 2,
      top_route: '/checkout',
      top_release: 'web@2',
      status: 'open',
      surge: null,
    })
    expect(fonts.sparkline).toHaveLength(24)
    expect(fonts.sparkline[23]).toBe(2)
    expect(body.facets.releases).toEqual(expect.arrayContaining(['web@1', 'web@2']))
  })

  it('puts a surging cluster first (found by the surge detector), before more recent ones', async () => {
    let hot = ''
    for (let i = 0; i < 8; i++) {
      hot = (await report(t, 'Checkout says payment declined', { reporter_id: `s${i}` })).cluster_id
      t.clock.advance(10_000)
    }
    t.clock.advance(60_000)
    const calm = await report(t, 'Typo on the about page', { reporter_id: 'c1' })
    const { body } = await owner.json('GET', '/api/clusters')
    expect(body.clusters.map((c: any) => c.id)).toEqual([hot, calm.cluster_id])
    expect(body.clusters[0].surge).toMatchObject({ reports: expect.any(Number), reporters: expect.any(Number) })
    expect(body.clusters[1].surge).toBeNull()
    expect(body.project_surges).toEqual([])
    const page = await owner.json('GET', `/api/clusters/${hot}`)
    expect(page.body.cluster.surge).not.toBeNull()
  })

  it('filters by status, release, route, time range and full-text search (any language)', async () => {
    const fonts = await report(t, 'The fonts look different', { route: '/checkout', release: 'web@2' })
    // another problem on the same page (a Chinese report of the font problem joins the English one)
    const cjk = await report(t, '结账页面的按钮点了没反应', { route: '/checkout', release: 'web@1' })
    const ids = async (q: string) =>
      (await owner.json('GET', `/api/clusters?${q}`)).body.clusters.map((c: any) => c.id).sort()
    expect(await ids('release=web@2')).toEqual([fonts.cluster_id])
    expect(await ids('route=/checkout')).toEqual([fonts.cluster_id, cjk.cluster_id].sort())
    expect(await ids('q=fonts%20look')).toEqual([fonts.cluster_id])
    expect(await ids(`q=${encodeURIComponent('按钮点')}`)).toEqual([cjk.cluster_id])
    expect(await ids('q=nothing-like-this')).toEqual([])
    await owner.post(`/api/clusters/${fonts.cluster_id}/status`, { status: 'muted' })
    expect(await ids('status=active')).toEqual([cjk.cluster_id])
    expect(await ids('status=muted')).toEqual([fonts.cluster_id])
    t.clock.advance(2 * 3_600_000)
    expect(await ids('range=1h')).toEqual([])
    expect((await owner.get('/api/clusters?status=bogus')).status).toBe(400)
  })

  it('answers 304 to a poll when nothing changed, and a fresh list when a report arrives', async () => {
    await report(t, 'Checkout is broken')
    const first = await owner.get('/api/clusters')
    const etag = first.headers.get('etag')!
    expect(etag).toBeTruthy()
    expect((await owner.get('/api/clusters', { 'if-none-match': etag })).status).toBe(304)
    await report(t, 'Checkout is broken')
    const next = await owner.get('/api/clusters', { 'if-none-match': etag })
    expect(next.status).toBe(200)
    expect((await next.json()).clusters[0].report_count).toBe(2)
  })

  it('full-text search over reports returns the matching reports', async () => {
    await report(t, 'Payment button does nothing')
    await report(t, 'Search is slow')
    const { body } = await owner.json('GET', '/api/reports/search?q=payment')
    expect(body.reports.map((r: any) => r.message)).toEqual(['Payment button does nothing'])
  })
})

describe('cluster page', () => {
  it('shows reports newest first with context, breakdowns, source and a timeline; pages older reports', async () => {
    let last = ''
    for (let i = 0; i < 30; i++) {
      const r = await report(t, 'Cannot log in', {
        reporter_id: `r${i % 4}`,
        route: '/login',
        release: i < 20 ? 'web@1' : 'web@2',
        locale: 'de-DE',
        page_url: 'https://shop.example.com/login?token=abc',
        context: {
          user_agent:
            'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
          errors: [{ message: 'TypeError: boom' }],
        },
      })
      last = r.id
      t.clock.advance(1000)
    }
    const first = await report(t, 'Cannot log in')
    const { status, body } = await owner.json('GET', `/api/clusters/${first.cluster_id}`)
    expect(status).toBe(200)
    expect(body.cluster.report_count).toBe(31)
    expect(body.reports).toHaveLength(25)
    expect(body.reports[0].id).toBe(first.id)
    expect(body.reports[1]).toMatchObject({
      id: last,
      route: '/login',
      release: 'web@2',
      locale: 'de-DE',
      source: 'widget',
      browser: 'Chrome 120',
    })
    expect(body.reports[1].page_url).not.toContain('abc')
    expect(body.reports[1].context.errors[0].message).toBe('TypeError: boom')
    expect(body.breakdowns.release).toEqual([
      { value: 'web@1', count: 20 },
      { value: 'web@2', count: 10 },
    ])
    expect(body.breakdowns.source).toEqual([{ value: 'widget', count: 31 }])
    expect(body.timeline.counts.reduce((a: number, b: number) => a + b, 0)).toBe(31)
    const more = await owner.json('GET', `/api/clusters/${first.cluster_id}/reports?before=${body.next_before}`)
    expect(more.body.reports).toHaveLength(6)
    expect(more.body.next_before).toBeNull()
  })

  it('marks deploys on the timeline', async () => {
    const { recordDeploy } = await import('../../worker/domain/surge/index.js')
    const r = await report(t, 'Fonts changed')
    await recordDeploy(t.deps, t.seed.projectId, { release: 'web@9' })
    const { body } = await owner.json('GET', `/api/clusters/${r.cluster_id}`)
    expect(body.timeline.deploys.map((d: any) => d.release)).toEqual(['web@9'])
  })
})

describe('responder actions', () => {
  it('acknowledges, mutes, resolves and assigns', async () => {
    const r = await report(t, 'Orders page is blank')
    for (const status of ['acknowledged', 'muted', 'resolved', 'open']) {
      const res = await owner.json('POST', `/api/clusters/${r.cluster_id}/status`, { status })
      expect(res.body.cluster.status).toBe(status)
    }
    const me = (await owner.json('GET', '/api/me')).body
    expect(
      (await owner.json('POST', `/api/clusters/${r.cluster_id}/assign`, { assignee_id: me.id })).body.cluster
        .assignee_id,
    ).toBe(me.id)
    const page = await owner.json('GET', `/api/clusters/${r.cluster_id}`)
    expect(page.body.assignee.email).toBe(me.email)
    const viewer = await addMember(t, 'viewer@acme.test', 'viewer')
    const vid = (await viewer.json('GET', '/api/me')).body.id
    expect((await owner.json('POST', `/api/clusters/${r.cluster_id}/assign`, { assignee_id: vid })).status).toBe(400)
    expect(
      (await owner.json('POST', `/api/clusters/${r.cluster_id}/assign`, { assignee_id: null })).body.cluster
        .assignee_id,
    ).toBeNull()
  })

  it('merges through the clustering engine, which records the correction', async () => {
    const a = await report(t, 'Checkout button does nothing')
    const b = await report(t, 'The map on the store page is grey')
    expect(a.cluster_id).not.toBe(b.cluster_id)
    const res = await owner.json('POST', `/api/clusters/${a.cluster_id}/merge`, { into_id: b.cluster_id })
    expect(res.status).toBe(200)
    expect(res.body.cluster).toMatchObject({ id: b.cluster_id, report_count: 2 })
    const merged = await owner.json('GET', `/api/clusters/${a.cluster_id}`)
    expect(merged.body.cluster.merged_into_id).toBe(b.cluster_id)
    const list = (await owner.json('GET', '/api/clusters')).body.clusters.map((c: any) => c.id)
    expect(list).toEqual([b.cluster_id])
    const corrections = await t.db.orm.select().from(clusterCorrections).all()
    expect(corrections).toEqual([
      expect.objectContaining({ kind: 'merge', clusterId: a.cluster_id, otherClusterId: b.cluster_id }),
    ])
    expect((await owner.json('POST', `/api/clusters/${b.cluster_id}/merge`, { into_id: b.cluster_id })).status).toBe(
      400,
    )
  })

  it('moves selected reports to a new cluster or another one, pinned by the engine', async () => {
    const one = await report(t, 'Login fails with an error', { reporter_id: 'a' })
    const two = await report(t, 'Login fails with an error', { reporter_id: 'b' })
    const three = await report(t, 'Login fails with an error', { reporter_id: 'c' })
    const other = await report(t, 'Dark mode colours are wrong')
    expect(one.cluster_id).toBe(two.cluster_id)
    const split = await owner.json('POST', `/api/clusters/${one.cluster_id}/move`, {
      report_ids: [two.id],
      new_title: 'Login fails on Safari',
    })
    expect(split.status).toBe(200)
    expect(split.body.cluster.id).not.toBe(one.cluster_id)
    expect(split.body.cluster.report_count).toBe(1)
    const moved = await owner.json('POST', `/api/clusters/${one.cluster_id}/move`, {
      report_ids: [three.id],
      to_cluster_id: other.cluster_id,
    })
    expect(moved.body.cluster).toMatchObject({ id: other.cluster_id, report_count: 2 })
    const rows = await t.db.orm.select({ id: reports.id, clusterId: reports.clusterId }).from(reports).all()
    expect(rows.find((r) => r.id === three.id)!.clusterId).toBe(other.cluster_id)
    expect(
      (await t.db.orm.select().from(clusterCorrections).where(eq(clusterCorrections.kind, 'move')).all()).length,
    ).toBe(2)
    // the per-hour and per-source counters (kept by triggers) follow the moves exactly
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0)
    for (const [id, n] of [
      [one.cluster_id, 1],
      [other.cluster_id, 2],
      [split.body.cluster.id, 1],
    ] as const) {
      const page = (await owner.json('GET', `/api/clusters/${id}`)).body
      expect([id, sum(page.timeline.counts), page.breakdowns.source]).toEqual([id, n, [{ value: 'widget', count: n }]])
    }
    const row = (await owner.json('GET', '/api/clusters')).body.clusters.find((c: any) => c.id === other.cluster_id)
    expect(sum(row.sparkline)).toBe(2)
    // a report that is not in this cluster is refused, nothing moves
    const bad = await owner.json('POST', `/api/clusters/${one.cluster_id}/move`, {
      report_ids: [one.id, other.id],
      new_title: 'x',
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_reports')
  })

  it('marks two clusters as not related through the engine', async () => {
    const a = await report(t, 'Checkout button does nothing')
    const b = await report(t, 'The map on the store page is grey')
    expect((await owner.post(`/api/clusters/${a.cluster_id}/not-related`, { other_id: b.cluster_id })).status).toBe(204)
    const rows = await t.db.orm.select().from(clusterCorrections).all()
    expect(rows).toEqual([
      expect.objectContaining({ kind: 'not_related', clusterId: a.cluster_id, otherClusterId: b.cluster_id }),
    ])
    expect(
      (await owner.json('POST', `/api/clusters/${a.cluster_id}/not-related`, { other_id: a.cluster_id })).status,
    ).toBe(400)
  })

  it('declares an incident prefilled from a cluster, links another cluster, and the widget sees it', async () => {
    const a = await report(t, 'Images do not load')
    const b = await report(t, 'Pictures missing everywhere')
    const declared = await owner.json('POST', '/api/incidents', {
      cluster_id: a.cluster_id,
      title: 'Images fail to load',
      impact: 'major',
      status: 'investigating',
      message: 'We are looking into it.',
    })
    expect(declared.status).toBe(201)
    const incidentId = declared.body.incident.id
    expect(
      (await owner.json('POST', `/api/clusters/${b.cluster_id}/incident`, { incident_id: incidentId })).body.cluster
        .incident_id,
    ).toBe(incidentId)
    const page = await owner.json('GET', `/api/clusters/${b.cluster_id}`)
    expect(page.body.incident).toMatchObject({ id: incidentId, status: 'investigating' })
    const widget = await t.app.request('/v1/incidents', {
      headers: { 'x-earshot-key': t.key, origin: 'https://shop.example.com' },
    })
    expect((await widget.json()).incidents.map((i: any) => i.id)).toEqual([incidentId])
  })
})

describe('access control', () => {
  it('gives viewers read access only and support the intake but no triage', async () => {
    const r = await report(t, 'Search shows nothing')
    const viewer = await addMember(t, 'viewer@acme.test', 'viewer')
    const support = await addMember(t, 'support@acme.test', 'support')
    expect((await viewer.get(`/api/clusters/${r.cluster_id}`)).status).toBe(200)
    for (const who of [viewer, support]) {
      const res = await who.json('POST', `/api/clusters/${r.cluster_id}/status`, { status: 'acknowledged' })
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
      expect(
        (await who.json('POST', '/api/incidents', { cluster_id: r.cluster_id, title: 'x', message: 'y' })).status,
      ).toBe(403)
    }
    expect(
      (await viewer.json('POST', `/api/projects/${t.seed.projectId}/reports`, { message: 'x', channel: 'email' }))
        .status,
    ).toBe(403)
    expect(
      (
        await support.json('POST', `/api/projects/${t.seed.projectId}/reports`, {
          message: 'Search shows nothing',
          channel: 'chat',
        })
      ).status,
    ).toBe(201)
  })

  it("never shows one workspace another one's data: foreign ids are 404, lists exclude them", async () => {
    const mine = await report(t, 'Our own problem')
    const other = await otherWorkspace(t)
    const theirCluster = other.report.cluster_id
    const list = (await owner.json('GET', '/api/clusters')).body.clusters.map((c: any) => c.id)
    expect(list).toEqual([mine.cluster_id])
    expect((await owner.json('GET', '/api/reports/search?q=invoices')).body.reports).toEqual([])
    const attempts: [string, string, unknown?][] = [
      ['GET', `/api/clusters/${theirCluster}`],
      ['GET', `/api/clusters/${theirCluster}/reports`],
      ['POST', `/api/clusters/${theirCluster}/status`, { status: 'muted' }],
      ['POST', `/api/clusters/${theirCluster}/merge`, { into_id: mine.cluster_id }],
      ['POST', `/api/clusters/${mine.cluster_id}/merge`, { into_id: theirCluster }],
      ['POST', `/api/clusters/${theirCluster}/move`, { report_ids: [other.report.id], new_title: 'x' }],
      ['GET', `/api/clusters?project_id=${other.project.id}`],
      ['GET', `/api/projects/${other.project.id}`],
      ['PATCH', `/api/projects/${other.project.id}`, { name: 'pwned' }],
      ['POST', `/api/projects/${other.project.id}/rotate-key`, {}],
      ['POST', `/api/projects/${other.project.id}/reports`, { message: 'x', channel: 'email' }],
      ['GET', `/api/workspaces/${other.ws.id}/members`],
      ['GET', `/api/workspaces/${other.ws.id}/tokens`],
      ['POST', `/api/workspaces/${other.ws.id}/invitations`, { role: 'owner' }],
      ['POST', `/api/workspaces/${other.ws.id}/projects`, { name: 'x', slug: 'xx' }],
    ]
    for (const [method, path, body] of attempts) {
      const res = await owner.json(method, path, body)
      expect([path, res.status]).toEqual([path, 404])
    }
    // and the other owner cannot reach ours either
    expect((await other.owner.get(`/api/clusters/${mine.cluster_id}`)).status).toBe(404)
  })

  it('answers an id from another workspace in a body exactly like a missing id (no existence oracle)', async () => {
    const mine = await report(t, 'Our own problem')
    const other = await otherWorkspace(t)
    const theirIncident = (
      await other.owner.json('POST', '/api/incidents', {
        project_id: other.project.id,
        title: 'Their outage',
        message: 'Looking',
      })
    ).body.incident.id
    const own = t.seed.projectId
    // Each pair: the same request with a foreign id, and with an id nobody has.
    const pairs: [string, string, (id: string) => unknown, string, string][] = [
      [
        'POST',
        '/api/incidents',
        (id) => ({ project_id: own, cluster_id: id, title: 'Down', message: 'Looking' }),
        other.report.cluster_id,
        'clu_does_not_exist',
      ],
      [
        'POST',
        '/api/incidents',
        (id) => ({ cluster_id: id, title: 'Down', message: 'Looking' }),
        other.report.cluster_id,
        'clu_does_not_exist',
      ],
      [
        'POST',
        `/api/clusters/${mine.cluster_id}/incident`,
        (id) => ({ incident_id: id }),
        theirIncident,
        'inc_does_not_exist',
      ],
      [
        'POST',
        `/api/clusters/${mine.cluster_id}/merge`,
        (id) => ({ into_id: id }),
        other.report.cluster_id,
        'clu_does_not_exist',
      ],
      [
        'POST',
        `/api/clusters/${mine.cluster_id}/not-related`,
        (id) => ({ other_id: id }),
        other.report.cluster_id,
        'clu_does_not_exist',
      ],
      [
        'POST',
        `/api/clusters/${mine.cluster_id}/move`,
        (id) => ({ report_ids: [mine.id], to_cluster_id: id }),
        other.report.cluster_id,
        'clu_does_not_exist',
      ],
    ]
    for (const [method, path, body, foreign, missing] of pairs) {
      const a = await owner.json(method, path, body(foreign))
      const b = await owner.json(method, path, body(missing))
      expect([path, a.status, a.body]).toEqual([path, 404, b.body])
      expect(b.status).toBe(404)
    }
    expect((await owner.json('GET', `/api/incidents`)).body.incidents).toEqual([])
  })

  it('refuses requests without a session, and cross-origin or non-JSON writes', async () => {
    const r = await report(t, 'Anything')
    expect((await t.app.request('/api/clusters')).status).toBe(401)
    const cross = await owner.post(
      `/api/clusters/${r.cluster_id}/status`,
      { status: 'muted' },
      { origin: 'https://evil.example' },
    )
    expect(cross.status).toBe(403)
    const form = await t.app.request(`/api/clusters/${r.cluster_id}/status`, {
      method: 'POST',
      headers: { cookie: owner.auth.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'status=muted',
    })
    expect(form.status).toBe(415)
    expect((await owner.json('GET', `/api/clusters/${r.cluster_id}`)).body.cluster.status).toBe('open')
  })
})

describe('search input', () => {
  it('treats control characters and FTS syntax as plain text', async () => {
    await report(t, 'Checkout "quoted" AND NEAR(text) fails')
    for (const q of ['a\u0000b', 'quoted" OR "x', 'NEAR(text', '*', '""', 'ab']) {
      const res = await owner.get(`/api/reports/search?q=${encodeURIComponent(q)}`)
      expect([q, res.status]).toEqual([q, 200])
      const list = await owner.get(`/api/clusters?q=${encodeURIComponent(q)}`)
      expect([q, list.status]).toEqual([q, 200])
    }
    expect(t.errors).toEqual([])
  })
})
