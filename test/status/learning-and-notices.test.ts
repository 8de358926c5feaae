import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { notices } from '../../worker/db/schema/index.js'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents.js'
import { findProjectBySlug, type Project } from '../../worker/domain/projects/projects.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, signIn } from './support.js'
import { clusterOf } from '../support/pipeline.js'

let t: TestApp
let project: Project
beforeEach(async () => {
  t = await createTestApp()
  project = (await findProjectBySlug(t.db.orm, 'demo'))!
})
afterEach(() => t.close())

const MIN = 60_000
const ORIGIN = 'https://shop.example.com'
const publicApi = (path: string, init: RequestInit = {}) =>
  t.app.request(path, {
    ...init,
    headers: { 'x-earshot-key': t.key, origin: ORIGIN, ...(init.headers as Record<string, string>) },
  })

describe('learning from an incident', () => {
  it('measures time to detect from the first report, counts reports, people, releases; exports Markdown', async () => {
    const start = t.clock.now()
    const first = await submitReport(t.deps, project, {
      message: 'Fonts look different',
      reporter_id: 'a',
      release: 'web@41',
    })
    t.clock.advance(4 * MIN)
    await submitReport(t.deps, project, { message: 'Fonts look different', reporter_id: 'b', release: 'web@41' })
    await submitReport(t.deps, project, { message: 'Fonts look different', reporter_id: 'b', release: 'web@40' })
    t.clock.advance(8 * MIN) // declared 12 min after the first report
    const incident = await declareIncident(t.deps, {
      projectId: project.id,
      clusterId: (await clusterOf(t.deps, first.id))!,
      title: 'Site rolled back three months',
      impact: 'critical',
      message: 'An old build is live.',
      internalNote: 'pipeline lost its state',
    })
    t.clock.advance(30 * MIN)
    await postUpdate(t.deps, incident.id, { status: 'resolved', message: 'The current build is live again.' })

    const auth = await signIn(t)
    const { json } = await api(t, auth, 'GET', `/api/incidents/${incident.id}/learning`)
    const l = json.learning
    expect(l.first_report_at).toBe(new Date(start).toISOString())
    expect(l.declared_at).toBe(new Date(start + 12 * MIN).toISOString())
    expect(l.time_to_detect_ms).toBe(12 * MIN)
    expect(l.time_to_first_update_ms).toBe(12 * MIN)
    expect(l.customer_impact_ms).toBe(42 * MIN)
    expect(l.reports).toBe(3)
    expect(l.reporters).toBe(2)
    expect(l.releases).toEqual([
      { release: 'web@41', reports: 2 },
      { release: 'web@40', reports: 1 },
    ])
    expect(l.timeline.map((x: any) => x.kind)).toEqual(['report', 'report', 'report', 'declared', 'update', 'resolved'])

    const md = await api(t, auth, 'GET', `/api/incidents/${incident.id}/export.md`)
    expect(md.headers.get('content-type')).toContain('text/markdown')
    expect(md.text).toContain('- **Time to detect** (first customer report → declared): 12 min')
    expect(md.text).toContain('| Incident declared | 2026-11-20 09:12 UTC | 12 min |')
    expect(md.text).toContain('- **Reports**: 3 from 2 distinct reporters')
    expect(md.text).toContain('_Internal note:_ pipeline lost its state')

    const across = await api(t, auth, 'GET', `/api/projects/${project.id}/learning`)
    expect(across.json.learning).toMatchObject({
      incidents: 1,
      customer_reported: 1,
      median_time_to_detect_ms: 12 * MIN,
      reports: 3,
    })
  })
})

describe('reporter notices (widget contract)', () => {
  it('lists an unseen notice once per reporter; seen hides it; resolving again does not repeat it', async () => {
    const r = await submitReport(t.deps, project, { message: 'Cart is empty after login', reporter_id: 'rid-123456' })
    await submitReport(t.deps, project, { message: 'Cart is empty after login', reporter_id: 'rid-123456' })
    const incident = await declareIncident(t.deps, {
      projectId: project.id,
      clusterId: (await clusterOf(t.deps, r.id))!,
      title: 'Carts emptied at login',
      impact: 'major',
      message: 'Looking into it.',
    })
    expect((await (await publicApi('/v1/notices?reporter_id=rid-123456')).json()).notices).toEqual([])
    t.clock.advance(MIN)
    await postUpdate(t.deps, incident.id, { status: 'resolved', message: 'Carts are kept again.' })
    t.clock.advance(MIN)
    await postUpdate(t.deps, incident.id, { status: 'resolved', message: 'Still fine.' })

    const res = await publicApi('/v1/notices?reporter_id=rid-123456')
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const body = await res.json()
    expect(body.notices).toEqual([
      {
        id: expect.stringMatching(/^ntc_/),
        incident_id: incident.id,
        title: 'Carts emptied at login',
        reported_at: new Date(t.clock.now() - 2 * MIN).toISOString(),
        resolved_at: new Date(t.clock.now() - MIN).toISOString(),
        message: 'The problem you reported on 20 November 2026 has been fixed.',
      },
    ])
    expect((await publicApi('/v1/notices?reporter_id=someone-else')).status).toBe(200)
    expect((await (await publicApi('/v1/notices?reporter_id=someone-else')).json()).notices).toEqual([])
    // As the widget sends it: no body, ids in the query.
    expect(
      (await publicApi(`/v1/notices/${body.notices[0].id}/seen?reporter_id=rid-123456`, { method: 'POST' })).status,
    ).toBe(204)
    expect((await (await publicApi('/v1/notices?reporter_id=rid-123456')).json()).notices).toEqual([])
    expect(await t.db.orm.select().from(notices).all()).toHaveLength(1)
  })

  it('refuses bad requests with JSON errors', async () => {
    const missing = await publicApi('/v1/notices')
    expect(missing.status).toBe(400)
    expect((await missing.json()).error.code).toBe('invalid_query')
    const unknown = await publicApi('/v1/notices/ntc_nope/seen', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"reporter_id":"x"}',
    })
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error.code).toBe('notice_not_found')
    expect((await t.app.request('/v1/notices?reporter_id=x')).status).toBe(401)
  })
})
