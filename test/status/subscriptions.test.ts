import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { outbox, subscribers } from '../../worker/db/schema/index.js'
import { declareIncident } from '../../worker/domain/incidents/incidents.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, signIn } from './support.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const form = (path: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const x of ([] as string[]).concat(v)) body.append(k, x)
  return t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  })
}
const mailsTo = async (to: string) =>
  (
    await t.db.orm
      .select()
      .from(outbox)
      .where(and(eq(outbox.channel, 'email'), eq(outbox.target, to)))
      .all()
  ).map((r) => JSON.parse(r.payload))
const tokenFrom = (text: string, path: string) =>
  new URL(new RegExp(`(http\\S+${path}\\?token=\\S+)`).exec(text)![1]!).searchParams.get('token')!

describe('e-mail subscriptions', () => {
  it('double opt-in: nothing but the confirmation is sent until the link is followed', async () => {
    expect((await form('/status/demo/subscribe', { email: 'Cy@Example.com' })).status).toBe(202)
    await declareIncident(t.deps, {
      projectId: t.seed.projectId,
      title: 'Before confirming',
      impact: 'minor',
      message: 'm1',
    })
    let mails = await mailsTo('cy@example.com')
    expect(mails.map((m) => m.subject)).toEqual(['Confirm your subscription to Acme Shop status updates'])
    const token = tokenFrom(mails[0].text, '/subscribe/confirm')
    expect((await form('/status/demo/subscribe/confirm', { token })).status).toBe(200)
    t.clock.advance(1000)
    await declareIncident(t.deps, {
      projectId: t.seed.projectId,
      title: 'After confirming',
      impact: 'minor',
      message: 'm2',
    })
    mails = await mailsTo('cy@example.com')
    expect(mails.map((m) => m.subject)).toEqual([
      'Confirm your subscription to Acme Shop status updates',
      '[Acme Shop] Investigating: After confirming',
    ])
  })

  it('unsubscribes with the link (page + POST, and one-click POST), after which nothing is sent', async () => {
    await form('/status/demo/subscribe', { email: 'dee@example.com' })
    await form('/status/demo/subscribe/confirm', {
      token: tokenFrom((await mailsTo('dee@example.com'))[0].text, '/subscribe/confirm'),
    })
    await declareIncident(t.deps, { projectId: t.seed.projectId, title: 'One', impact: 'minor', message: 'm' })
    const mails = await mailsTo('dee@example.com')
    expect(mails).toHaveLength(2)
    const unsubscribe = tokenFrom(mails[1].text, '/unsubscribe')
    const page = await t.app.request(`/status/demo/unsubscribe?token=${unsubscribe}`)
    expect(await page.text()).toContain('Stop sending')
    // RFC 8058 one-click: the mail client POSTs List-Unsubscribe=One-Click to the URL.
    const oneClick = await t.app.request(`/status/demo/unsubscribe?token=${unsubscribe}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.status).toBe(200)
    t.clock.advance(1000)
    await declareIncident(t.deps, { projectId: t.seed.projectId, title: 'Two', impact: 'minor', message: 'm' })
    expect(await mailsTo('dee@example.com')).toHaveLength(2)
    expect((await form('/status/demo/unsubscribe', { token: 'uns_wrong' })).status).toBe(404)
  })

  it('per component: hears only about incidents that affect the chosen components', async () => {
    const auth = await signIn(t)
    const pid = t.seed.projectId
    const checkout = (await api(t, auth, 'POST', `/api/projects/${pid}/components`, { name: 'Checkout' })).json
      .component
    const search = (await api(t, auth, 'POST', `/api/projects/${pid}/components`, { name: 'Search' })).json.component
    const html = await (await t.app.request('/status/demo')).text()
    expect(html).toContain(`value="${checkout.id}"`)
    await form('/status/demo/subscribe', { email: 'eve@example.com', component: [checkout.id] })
    await form('/status/demo/subscribe/confirm', {
      token: tokenFrom((await mailsTo('eve@example.com'))[0].text, '/subscribe/confirm'),
    })
    await api(t, auth, 'POST', '/api/incidents', {
      project_id: pid,
      title: 'Search down',
      impact: 'major',
      message: 'm',
      components: [{ component_id: search.id, status: 'major_outage' }],
    })
    t.clock.advance(1000)
    await api(t, auth, 'POST', '/api/incidents', {
      project_id: pid,
      title: 'Checkout slow',
      impact: 'minor',
      message: 'm',
      components: [{ component_id: checkout.id, status: 'degraded_performance' }],
    })
    expect((await mailsTo('eve@example.com')).map((m) => m.subject)).toEqual([
      'Confirm your subscription to Acme Shop status updates',
      '[Acme Shop] Investigating: Checkout slow',
    ])
    const list = await api(t, auth, 'GET', `/api/projects/${pid}/subscribers`)
    expect(list.json.subscribers).toEqual([
      expect.objectContaining({ email: 'eve@example.com', state: 'confirmed', component_ids: [checkout.id] }),
    ])
  })

  it('webhook subscribers per component: only incidents touching it reach them, private ones never', async () => {
    const auth = await signIn(t)
    const pid = t.seed.projectId
    const search = (await api(t, auth, 'POST', `/api/projects/${pid}/components`, { name: 'Search' })).json.component
    const hook = await api(t, auth, 'POST', `/api/projects/${pid}/webhooks`, {
      url: 'http://127.0.0.1:9/search-only',
      kind: 'generic',
      events: ['incident.created', 'incident.updated', 'incident.resolved'],
      component_id: search.id,
    })
    expect(hook.status).toBe(201)
    await api(t, auth, 'POST', '/api/incidents', {
      project_id: pid,
      title: 'Login broken',
      impact: 'major',
      message: 'm',
    })
    await api(t, auth, 'POST', '/api/incidents', {
      project_id: pid,
      title: 'Search private',
      impact: 'major',
      visibility: 'private',
      message: 'm',
      components: [{ component_id: search.id, status: 'major_outage' }],
    })
    await api(t, auth, 'POST', '/api/incidents', {
      project_id: pid,
      title: 'Search slow',
      impact: 'minor',
      message: 'm',
      components: [{ component_id: search.id, status: 'degraded_performance' }],
    })
    const rows = await t.db.orm.select().from(outbox).where(eq(outbox.channel, 'webhook')).all()
    expect(rows.map((r) => JSON.parse(r.payload).data.incident.name)).toEqual(['Search slow'])
  })

  it('refuses bad input without storing anything, and does not mail-bomb an address', async () => {
    expect((await form('/status/demo/subscribe', { email: 'not-an-email' })).status).toBe(400)
    expect((await form('/status/demo/subscribe', { email: 'ok@example.com', component: ['cmp_nope'] })).status).toBe(
      400,
    )
    const json = await t.app.request('/status/demo/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    })
    expect(json.status).toBe(400)
    expect((await json.json()).error.code).toBe('invalid_json')
    expect(await t.db.orm.select().from(subscribers).all()).toHaveLength(0)
    for (let i = 0; i < 5; i++) await form('/status/demo/subscribe', { email: 'flood@example.com' })
    expect(await mailsTo('flood@example.com')).toHaveLength(1)
    expect((await t.app.request('/status/nope/subscribe', { method: 'POST' })).status).toBe(404)
  })
})
