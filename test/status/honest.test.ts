// Honest answers without an e-mail provider, the Outbox API, clusters following their incident,
// and the status headline following the components a responder marked.
import { afterEach, describe, expect, it } from 'vitest'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents.js'
import { createComponent } from '../../worker/domain/incidents/components.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { report, signIn } from '../dashboard/helpers.js'

let t: TestApp
afterEach(() => t?.close())

const subscribe = (email: string) =>
  t.app.request('/status/demo/subscribe', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email }),
  })

describe('without an e-mail provider', () => {
  it('subscribing says the link is queued, e-mail not configured; the Outbox lists it with its link', async () => {
    t = await createTestApp()
    const res = await subscribe('visitor@example.com')
    expect(res.status).toBe(202)
    const body = await res.json()
    expect(body).toMatchObject({ ok: true, queued: true, email_configured: false })
    expect(body.message).toMatch(/queued.*not configured/)
    expect(body.message).not.toMatch(/inbox|sent a/i)

    const owner = await signIn(t)
    const me = await owner.json('GET', '/api/me')
    const ws = me.body.workspaces[0].id
    const box = await owner.json('GET', `/api/workspaces/${ws}/outbox?channel=email`)
    expect(box.status).toBe(200)
    expect(box.body.email_configured).toBe(false)
    expect(box.body.entries).toHaveLength(1)
    expect(box.body.entries[0]).toMatchObject({
      channel: 'email',
      target: 'visitor@example.com',
      status: 'pending',
      attempts: 0,
      tries: [],
    })
    expect(box.body.entries[0].subject).toContain('Confirm')
    expect(box.body.entries[0].content).toMatch(/subscribe\/confirm\?token=cfm_/)
  })

  it('in production the Outbox hides the tokens in links (an owner cannot confirm for a stranger)', async () => {
    t = await createTestApp({
      config: {
        environment: 'production',
        publicUrl: 'https://earshot.example.com',
        secretKey: 'x'.repeat(40),
      } as never,
    })
    await subscribe('visitor@example.com')
    const owner = await signIn(t)
    const ws = (await owner.json('GET', '/api/me')).body.workspaces[0].id
    const entry = (await owner.json('GET', `/api/workspaces/${ws}/outbox`)).body.entries[0]
    expect(entry.content).toContain('subscribe/confirm?token=[redacted]')
    expect(entry.content).not.toMatch(/cfm_/)
  })

  it('with an e-mail provider the answer says to check the inbox', async () => {
    t = await createTestApp({ config: { email: { apiUrl: 'http://127.0.0.1:9/emails', from: 'S <s@example.com>' } } })
    const body = await (await subscribe('visitor@example.com')).json()
    expect(body).toMatchObject({ queued: false, email_configured: true })
    expect(body.message).toContain('Check your inbox')
  })

  it('notify-affected answers email_configured: false', async () => {
    t = await createTestApp()
    const r = await report(t, 'Checkout fails', { reporter_id: 'x1', email: 'ada@example.com' })
    const owner = await signIn(t)
    const inc = await owner.json('POST', '/api/incidents', {
      cluster_id: r.cluster_id,
      title: 'Checkout fails',
      message: 'On it.',
    })
    const sent = await owner.json('POST', `/api/incidents/${inc.body.incident.id}/notify-affected`, {
      message: 'Retry now.',
    })
    expect(sent.body).toMatchObject({ emails: 1, email_configured: false })
  })
})

describe('a cluster follows its incident', () => {
  it('resolving the incident resolves its open and acknowledged clusters, not muted ones', async () => {
    t = await createTestApp()
    const a = await report(t, 'Checkout fails with error 500', { reporter_id: 'x1' })
    const b = await report(t, 'The map on the store page is grey', { reporter_id: 'x2' })
    const c = await report(t, 'Invoices download as empty PDF', { reporter_id: 'x3' })
    const owner = await signIn(t)
    await owner.post(`/api/clusters/${b.cluster_id}/status`, { status: 'acknowledged' })
    await owner.post(`/api/clusters/${c.cluster_id}/status`, { status: 'muted' })
    const inc = await owner.json('POST', '/api/incidents', {
      cluster_id: a.cluster_id,
      title: 'Outage',
      message: 'On it.',
    })
    const id = inc.body.incident.id
    for (const other of [b.cluster_id, c.cluster_id])
      expect((await owner.json('POST', `/api/clusters/${other}/incident`, { incident_id: id })).status).toBe(200)
    await owner.post(`/api/incidents/${id}/updates`, { status: 'monitoring', message: 'Fix deployed.' })
    expect((await owner.json('GET', `/api/clusters/${a.cluster_id}`)).body.cluster.status).toBe('open')
    await owner.post(`/api/incidents/${id}/updates`, { status: 'resolved', message: 'Fixed.' })
    expect((await owner.json('GET', `/api/clusters/${a.cluster_id}`)).body.cluster.status).toBe('resolved')
    expect((await owner.json('GET', `/api/clusters/${b.cluster_id}`)).body.cluster.status).toBe('resolved')
    expect((await owner.json('GET', `/api/clusters/${c.cluster_id}`)).body.cluster.status).toBe('muted')
    const active = await owner.json('GET', '/api/clusters?status=active')
    expect(active.body.clusters.map((x: any) => x.id)).not.toContain(a.cluster_id)
  })
})

describe('status headline follows the components marked', () => {
  it('a critical incident marking no component does not say "Major Service Outage" above green ones', async () => {
    t = await createTestApp()
    const projectId = t.seed.projectId
    const web = await createComponent(t.deps, projectId, { name: 'Website' })
    const inc = await declareIncident(t.deps, { projectId, title: 'Something', impact: 'critical', message: 'On it.' })
    let summary = await (await t.app.request('/status/demo/api/v2/summary.json')).json()
    expect(summary.status.description).toBe('Minor Service Outage')
    await postUpdate(t.deps, inc.id, {
      status: 'identified',
      message: 'Found it.',
      components: [{ componentId: web.id, status: 'major_outage' }],
    })
    summary = await (await t.app.request('/status/demo/api/v2/summary.json')).json()
    expect(summary.status.description).toBe('Major Service Outage')
  })
})

describe('learning', () => {
  it('does not count a "me too" press as a report', async () => {
    t = await createTestApp()
    const r = await report(t, 'Checkout fails with error 500', { reporter_id: 'x1' })
    await report(t, 'Checkout fails with error 500', { reporter_id: 'x2' })
    const owner = await signIn(t)
    const id = (
      await owner.json('POST', '/api/incidents', {
        cluster_id: r.cluster_id,
        title: 'Checkout down',
        message: 'On it.',
      })
    ).body.incident.id
    const press = await t.app.request(`/v1/incidents/${id}/affected`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': t.key, origin: 'https://shop.example.com' },
      body: JSON.stringify({ reporter_id: 'x3' }),
    })
    expect(press.status).toBe(202)
    const l = (await owner.json('GET', `/api/incidents/${id}/learning`)).body.learning
    expect(l.affected_presses).toBe(1)
    expect(l.reports).toBe(2)
  })
})
