import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count, eq } from 'drizzle-orm'
import { outbox } from '../../worker/db/schema/index.js'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents.js'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { findProjectBySlug } from '../../worker/domain/projects/projects.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, signIn } from './support.js'
import { clusterOf } from '../support/pipeline.js'

// A private incident must never appear on any public surface: the widget endpoint, the status
// page (path and host), its incident page, the Statuspage JSON API, the feeds, e-mail, webhooks,
// and not even in the "fixed" notice shown to the people who reported it.

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const ORIGIN = 'https://shop.example.com'
const SECRET_TITLE = 'Customer 4411 invoices exposed'
const SECRET_MESSAGE = 'Invoices of tenant acme-corp were readable by another tenant.'

const PUBLIC_SURFACES = [
  '/status/demo',
  '/status/demo/api/v2/summary.json',
  '/status/demo/api/v2/status.json',
  '/status/demo/api/v2/components.json',
  '/status/demo/api/v2/incidents.json',
  '/status/demo/api/v2/incidents/unresolved.json',
  '/status/demo/api/v2/scheduled-maintenances.json',
  '/status/demo/api/v2/scheduled-maintenances/upcoming.json',
  '/status/demo/api/v2/scheduled-maintenances/active.json',
  '/status/demo/feed.atom',
  '/status/demo/feed.rss',
  '/status/demo/history.atom',
  'http://demo.status.localhost/',
  'http://demo.status.localhost/api/v2/summary.json',
  'http://demo.status.localhost/feed.atom',
  'http://demo.status.localhost/feed.rss',
]

async function readAll(headers: Record<string, string> = {}) {
  const texts: string[] = []
  for (const path of PUBLIC_SURFACES) {
    const res = await t.app.request(path, {
      headers: path.startsWith('http') ? { host: new URL(path).host, ...headers } : headers,
    })
    expect(res.status, path).toBe(200)
    texts.push(await res.text())
  }
  const widget = await t.app.request('/v1/incidents', {
    headers: { 'x-earshot-key': t.key, origin: ORIGIN, ...headers },
  })
  expect(widget.status).toBe(200)
  texts.push(await widget.text())
  return texts.join('\n')
}

describe('private incidents', () => {
  it('are absent from every public endpoint, feed and page, while active and after resolution', async () => {
    const project = (await findProjectBySlug(t.db.orm, 'demo'))!
    await createWebhook(t.deps, {
      projectId: project.id,
      url: 'http://127.0.0.1:9/hook',
      kind: 'generic',
      events: ['incident.created', 'incident.updated', 'incident.resolved'],
    })
    // Someone reported it from the widget; the incident is declared from that cluster.
    const report = await submitReport(t.deps, project, {
      message: 'I can see invoices of another company',
      reporter_id: 'anon-r1',
      email: 'r1@example.com',
    })
    const publicOne = await declareIncident(t.deps, {
      projectId: project.id,
      title: 'Slow dashboard',
      impact: 'minor',
      message: 'Dashboards load slowly.',
    })
    const secret = await declareIncident(t.deps, {
      projectId: project.id,
      title: SECRET_TITLE,
      impact: 'critical',
      visibility: 'private',
      message: SECRET_MESSAGE,
      clusterId: (await clusterOf(t.deps, report.id))!,
    })

    let everything = await readAll()
    expect(everything).toContain('Slow dashboard') // the public one is there: the surfaces do work
    expect(everything).not.toContain(SECRET_TITLE)
    expect(everything).not.toContain(SECRET_MESSAGE)
    expect(everything).not.toContain(secret.id)
    expect((await t.app.request(`/status/demo/incidents/${secret.id}`)).status).toBe(404)
    expect((await t.app.request(`/status/demo/incidents/${publicOne.id}`)).status).toBe(200)
    // The dependency on status for a private incident does not turn the page red either.
    const summary = await (await t.app.request('/status/demo/api/v2/summary.json')).json()
    expect(summary.status.indicator).toBe('minor')

    t.clock.advance(60_000)
    await postUpdate(t.deps, secret.id, { status: 'resolved', message: `${SECRET_MESSAGE} Fixed.` })
    everything = await readAll()
    expect(everything).not.toContain(SECRET_TITLE)
    expect(everything).not.toContain(SECRET_MESSAGE)

    // Nothing queued for webhooks or subscribers about it; only the reporter's own e-mail, without the title.
    const rows = await t.db.orm.select().from(outbox).all()
    expect(
      rows
        .filter((r) => r.channel === 'webhook')
        .every((r) => !r.payload.includes(SECRET_TITLE) && !r.payload.includes(secret.id)),
    ).toBe(true)
    expect(rows.filter((r) => r.channel === 'webhook' && r.payload.includes('Slow dashboard'))).toHaveLength(1)
    const reporterMails = rows.filter((r) => r.channel === 'email' && r.target === 'r1@example.com')
    expect(reporterMails).toHaveLength(1)
    expect(reporterMails[0]!.payload).not.toContain(SECRET_TITLE)
    expect(reporterMails[0]!.payload).toContain('has been fixed')

    // The reporter's browser is told it is fixed, without the private title.
    const notices = await (
      await t.app.request('/v1/notices?reporter_id=anon-r1', { headers: { 'x-earshot-key': t.key, origin: ORIGIN } })
    ).json()
    expect(notices.notices).toHaveLength(1)
    expect(JSON.stringify(notices)).not.toContain(SECRET_TITLE)
    expect(notices.notices[0].title).toBe('The problem you reported')
    // A Chinese browser gets the placeholder in Chinese (the widget shows it as the card's title).
    const zh = await (
      await t.app.request('/v1/notices?reporter_id=anon-r1', {
        headers: { 'x-earshot-key': t.key, origin: ORIGIN, 'accept-language': 'zh-CN,zh;q=0.9' },
      })
    ).json()
    expect(zh.notices[0].title).toBe('您报告的问题')
  })

  it('show with a status-page token: page (cookie after ?token=), summary.json (Bearer), feeds, widget', async () => {
    const project = (await findProjectBySlug(t.db.orm, 'demo'))!
    const secret = await declareIncident(t.deps, {
      projectId: project.id,
      title: SECRET_TITLE,
      impact: 'major',
      visibility: 'private',
      message: SECRET_MESSAGE,
    })
    const auth = await signIn(t)
    const created = await api(t, auth, 'POST', `/api/projects/${project.id}/status-tokens`, { label: 'Acme Corp' })
    expect(created.status).toBe(201)
    const token: string = created.json.secret
    expect(created.json.private_url).toContain(`?token=${token}`)

    const page = await t.app.request(`/status/demo?token=${token}`)
    const html = await page.text()
    expect(html).toContain(SECRET_TITLE)
    expect(html).toContain('Private view')
    expect(page.headers.get('cache-control')).toBe('private, no-store')
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    expect(await (await t.app.request('/status/demo', { headers: { cookie } })).text()).toContain(SECRET_TITLE)
    expect((await t.app.request(`/status/demo/incidents/${secret.id}`, { headers: { cookie } })).status).toBe(200)
    const summary = await (
      await t.app.request('/status/demo/api/v2/summary.json', { headers: { authorization: `Bearer ${token}` } })
    ).text()
    expect(summary).toContain(SECRET_MESSAGE)
    expect(await (await t.app.request(`/status/demo/feed.atom?token=${token}`)).text()).toContain(SECRET_MESSAGE)
    const widget = await (
      await t.app.request('/v1/incidents', {
        headers: { 'x-earshot-key': t.key, origin: ORIGIN, 'x-earshot-status-token': token },
      })
    ).text()
    expect(widget).toContain(SECRET_TITLE)

    // A wrong or revoked token shows the public view.
    expect(await (await t.app.request('/status/demo?token=stt_wrong')).text()).not.toContain(SECRET_TITLE)
    expect(
      (await api(t, auth, 'DELETE', `/api/projects/${project.id}/status-tokens/${created.json.token.id}`)).status,
    ).toBe(204)
    expect(await (await t.app.request('/status/demo', { headers: { cookie } })).text()).not.toContain(SECRET_TITLE)
    const after = await readAll({ authorization: `Bearer ${token}`, 'x-earshot-status-token': token })
    expect(after).not.toContain(SECRET_TITLE)
    const n = await t.db.orm.select({ n: count() }).from(outbox).where(eq(outbox.channel, 'webhook')).get()
    expect(n!.n).toBe(0)
  })
})
