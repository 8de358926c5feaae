// Issue 11 #8 (notice disclosure): the reporter id of a customer added by support was
// `cust_` + sha256("<project id>:<e-mail>"), and the project id is public, so anyone who knew an
// e-mail could read and mark seen that customer's notices. Tried as the attacker did, over HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { notices, outbox, reports } from '../../worker/db/schema/index.js'
import { sha256Hex } from '../../worker/domain/shared/hashing.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { findProjectBySlug } from '../../worker/domain/projects/projects.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, signIn } from './support.js'
import { clusterOf } from '../support/pipeline.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const ORIGIN = 'https://shop.example.com'
const publicApi = (path: string, init: RequestInit = {}) =>
  t.app.request(path, {
    ...init,
    headers: { 'x-earshot-key': t.key, origin: ORIGIN, ...(init.headers as Record<string, string>) },
  })
const VICTIM = 'Victim@Example.com'

async function resolvedIncidentFromSupportReports() {
  const auth = await signIn(t)
  const pid = t.seed.projectId
  const first = await api(t, auth, 'POST', `/api/projects/${pid}/reports`, {
    message: 'Invoices download as blank pages',
    customer_email: VICTIM,
    channel: 'email',
  })
  expect(first.status).toBe(201)
  const second = await api(t, auth, 'POST', `/api/projects/${pid}/reports`, {
    message: 'Invoice PDF is blank again',
    customer_email: VICTIM.toLowerCase(),
    channel: 'chat',
  })
  expect(second.status).toBe(201)
  const declared = await api(t, auth, 'POST', '/api/incidents', {
    project_id: pid,
    cluster_id: await clusterOf(t.deps, first.json.id),
    title: 'Blank invoices',
    impact: 'major',
    message: 'Looking into it.',
  })
  expect(declared.status).toBe(201)
  const incidentId = declared.json.incident?.id ?? declared.json.id
  expect(
    (
      await api(t, auth, 'POST', `/api/incidents/${incidentId}/updates`, {
        status: 'resolved',
        message: 'Invoices render again.',
      })
    ).status,
  ).toBe(201)
  return { auth, incidentId, reportIds: [first.json.id, second.json.id] }
}

describe('customers added by support', () => {
  it('get a random stored reporter id (same for the same customer), not computable from their e-mail', async () => {
    const { reportIds } = await resolvedIncidentFromSupportReports()
    const rows = await t.db.orm.select({ id: reports.id, reporterId: reports.reporterId }).from(reports).all()
    const ids = rows.filter((r) => reportIds.includes(r.id)).map((r) => r.reporterId!)
    expect(ids[0]).toBe(ids[1]) // one customer, one reporter
    expect(ids[0]).toMatch(/^cust_[0-9a-z]{32}$/)
    for (const guess of [VICTIM, VICTIM.toLowerCase()]) {
      expect(ids[0]).not.toBe(`cust_${(await sha256Hex(`${t.seed.projectId}:${guess}`)).slice(0, 24)}`)
    }
  })

  it('an attacker who knows the e-mail reads no notices, and the customer is told by e-mail instead', async () => {
    const { incidentId } = await resolvedIncidentFromSupportReports()
    const guessed = `cust_${(await sha256Hex(`${t.seed.projectId}:${VICTIM.toLowerCase()}`)).slice(0, 24)}`
    const res = await publicApi(`/v1/notices?reporter_id=${guessed}`)
    expect(res.status).toBe(200)
    expect((await res.json()).notices).toEqual([])
    // No in-app notice exists for ids no browser holds, not even under the real (random) id.
    const stored = (await t.db.orm.select({ reporterId: reports.reporterId }).from(reports).all())[0]!.reporterId!
    expect((await (await publicApi(`/v1/notices?reporter_id=${stored}`)).json()).notices).toEqual([])
    expect(await t.db.orm.select().from(notices).all()).toEqual([])
    const mails = (await t.db.orm.select().from(outbox).all()).filter((r) => r.channel === 'email')
    expect(mails.map((m) => m.target.toLowerCase())).toEqual([VICTIM.toLowerCase()])
    expect(mails[0]!.dedupeKey).toContain(incidentId)
  })

  it('notices stored under a derived id before the upgrade are never served', async () => {
    const { incidentId } = await resolvedIncidentFromSupportReports()
    const legacy = `cust_${(await sha256Hex(`${t.seed.projectId}:${VICTIM.toLowerCase()}`)).slice(0, 24)}`
    const now = t.clock.now()
    await t.db.write((tx) =>
      tx.insert(notices).values({
        id: 'ntc_legacy',
        projectId: t.seed.projectId,
        incidentId,
        reporterId: legacy,
        kind: 'resolved',
        dedupeKey: 'resolved:old',
        message: 'Fixed.',
        reportedAt: now,
        resolvedAt: now,
        createdAt: now,
      }),
    )
    expect((await (await publicApi(`/v1/notices?reporter_id=${legacy}`)).json()).notices).toEqual([])
    expect((await publicApi(`/v1/notices/ntc_legacy/seen?reporter_id=${legacy}`, { method: 'POST' })).status).toBe(404)
  })
})

describe('marking a notice seen', () => {
  it('needs the reporter id it belongs to: a notice id alone changes nothing', async () => {
    const project = (await findProjectBySlug(t.db.orm, 'demo'))!
    const auth = await signIn(t)
    const r = await submitReport(t.deps, project, {
      message: 'Cart is empty after login',
      reporter_id: 'browser-secret-1234',
    })
    const declared = await api(t, auth, 'POST', '/api/incidents', {
      project_id: project.id,
      cluster_id: await clusterOf(t.deps, r.id),
      title: 'Carts emptied',
      impact: 'major',
      message: 'Looking.',
    })
    const incidentId = declared.json.incident?.id ?? declared.json.id
    await api(t, auth, 'POST', `/api/incidents/${incidentId}/updates`, { status: 'resolved', message: 'Fixed.' })
    const [notice] = await t.db.orm.select().from(notices).all()
    const anonymous = await publicApi(`/v1/notices/${notice!.id}/seen`, { method: 'POST' })
    expect(anonymous.status).toBe(400)
    expect((await anonymous.json()).error.code).toBe('invalid_query')
    expect(
      (await publicApi(`/v1/notices/${notice!.id}/seen?reporter_id=someone-else`, { method: 'POST' })).status,
    ).toBe(404)
    expect((await (await publicApi('/v1/notices?reporter_id=browser-secret-1234')).json()).notices).toHaveLength(1)
  })
})
