import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deliverDue, outboxTransport } from '../../worker/domain/notifications/index.js'
import { verifySignature } from '../../worker/domain/notifications/crypto.js'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, occurrences, signIn, startReceiver, type Receiver } from './support.js'

// One incident update must reach every channel, once: the widget endpoint, the status page,
// summary.json, both feeds, e-mail subscribers (through a real HTTP e-mail API receiver) and
// webhooks (a real HTTP receiver that checks the HMAC signature). Internal notes reach none.

let t: TestApp
let mail: Receiver
let hooks: Receiver
beforeEach(async () => {
  mail = await startReceiver()
  hooks = await startReceiver()
  t = await createTestApp({
    config: { email: { apiUrl: `${mail.url}/emails`, apiKey: 're_test_key', from: 'Acme Status <status@acme.test>' } },
  })
})
afterEach(async () => {
  t.close()
  await mail.close()
  await hooks.close()
})

const ORIGIN = 'https://shop.example.com'
const deliver = () => deliverDue(t.deps, outboxTransport(t.deps))

/** Delivers until the receivers hold `n` messages (a kick may be delivering at the same time). */
async function deliverUntil(r: Receiver, n: number) {
  for (let i = 0; i < 50 && r.received.length < n; i++) {
    await deliver()
    if (r.received.length < n) await new Promise((ok) => setTimeout(ok, 20))
  }
  expect(r.received.length).toBe(n)
}

async function subscribeAndConfirm(email: string) {
  const before = mail.received.length
  const res = await t.app.request('/status/demo/subscribe', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }).toString(),
  })
  expect(res.status).toBe(202)
  expect(await res.text()).toContain('Check your inbox')
  // Counted before the POST: the outbox kick may have delivered the mail by the time it answers.
  await deliverUntil(mail, before + 1)
  const confirmation = mail.received.at(-1)!.json
  expect(confirmation.to).toEqual([email])
  const link = /Confirm: (\S+)/.exec(confirmation.text)![1]!
  const url = new URL(link)
  // Following the link shows a button; only the POST confirms (mail scanners prefetch links).
  const page = await t.app.request(url.pathname + url.search)
  expect(await page.text()).toContain('Confirm subscription')
  const done = await t.app.request(url.pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: url.searchParams.get('token')! }).toString(),
  })
  expect(done.status).toBe(200)
  expect(await done.text()).toContain('You are subscribed')
}

describe('one update, every channel, once', () => {
  it('reaches widget, status page, summary.json, Atom, RSS, e-mail, signed webhooks once, no notes', async () => {
    const projectId = t.seed.projectId
    const generic = await createWebhook(t.deps, {
      projectId,
      url: `${hooks.url}/generic`,
      kind: 'generic',
      events: ['incident.created', 'incident.updated', 'incident.resolved'],
    })
    await createWebhook(t.deps, {
      projectId,
      url: `${hooks.url}/slack`,
      kind: 'slack',
      events: ['incident.created', 'incident.updated', 'incident.resolved'],
    })
    await subscribeAndConfirm('ann@example.com')
    expect(mail.received).toHaveLength(1)

    const auth = await signIn(t)
    const declared = await api(t, auth, 'POST', '/api/incidents', {
      project_id: projectId,
      title: 'Checkout is failing',
      impact: 'major',
      message: 'We are investigating failed payments at checkout.',
      internal_note: 'INTERNAL-declare: suspect the Redis failover',
    })
    expect(declared.status).toBe(201)
    const incidentId = declared.json.incident.id
    t.clock.advance(5 * 60_000)

    const MESSAGE = 'The payment provider rejected requests after a deploy; we rolled it back.'
    const updated = await api(t, auth, 'POST', `/api/incidents/${incidentId}/updates`, {
      status: 'identified',
      message: MESSAGE,
      internal_note: 'INTERNAL-update: Bob rolled back by hand',
    })
    expect(updated.status).toBe(201)
    // The dashboard sees it.
    expect(updated.json.incident.updates[0].internal_note).toBe('INTERNAL-update: Bob rolled back by hand')

    await deliverUntil(mail, 3) // confirmation + declared + identified
    await deliverUntil(hooks, 4) // (generic + slack) × 2 updates

    // Widget endpoint
    const widget = await t.app.request('/v1/incidents', { headers: { 'x-earshot-key': t.key, origin: ORIGIN } })
    const widgetText = await widget.text()
    expect(JSON.parse(widgetText).incidents[0].latest_update.message).toBe(MESSAGE)
    expect(occurrences(widgetText, MESSAGE)).toBe(1)

    // Status page (HTML), summary.json, feeds
    const html = await (await t.app.request('/status/demo')).text()
    expect(occurrences(html, MESSAGE)).toBe(1)
    expect(html).toContain('Checkout is failing')
    expect(html).toContain('Partial System Outage')
    const summaryRes = await t.app.request('/status/demo/api/v2/summary.json', {
      headers: { origin: 'https://anyone.example' },
    })
    expect(summaryRes.headers.get('access-control-allow-origin')).toBe('*')
    const summaryText = await summaryRes.text()
    const summary = JSON.parse(summaryText)
    expect(summary.status).toEqual({ indicator: 'major', description: 'Partial System Outage' })
    expect(summary.incidents).toHaveLength(1)
    expect(summary.incidents[0].incident_updates.map((u: any) => u.body)).toEqual([
      MESSAGE,
      'We are investigating failed payments at checkout.',
    ])
    expect(occurrences(summaryText, MESSAGE)).toBe(1)
    const atom = await (await t.app.request('/status/demo/feed.atom')).text()
    const rss = await (await t.app.request('/status/demo/feed.rss')).text()
    expect(occurrences(atom, MESSAGE)).toBe(1)
    expect(occurrences(rss, MESSAGE)).toBe(1)
    expect(occurrences(atom, '<entry>')).toBe(2) // one entry per update
    expect(occurrences(rss, '<item>')).toBe(2)

    // E-mail: exactly one message carries the update, to the confirmed subscriber, with an unsubscribe link
    const updateMails = mail.received.filter((m) => m.json.text.includes(MESSAGE))
    expect(updateMails).toHaveLength(1)
    expect(updateMails[0]!.json.to).toEqual(['ann@example.com'])
    expect(updateMails[0]!.json.subject).toBe('[Acme Shop] Identified: Checkout is failing')
    expect(updateMails[0]!.json.headers['List-Unsubscribe']).toMatch(/\/status\/demo\/unsubscribe\?token=/)
    expect(updateMails[0]!.headers.authorization).toBe('Bearer re_test_key')

    // Webhooks: one per hook for this update; the generic one verifies with its secret
    const genericHits = hooks.received.filter((r) => r.path === '/generic' && r.body.includes(MESSAGE))
    const slackHits = hooks.received.filter((r) => r.path === '/slack' && r.body.includes(MESSAGE))
    expect(genericHits).toHaveLength(1)
    expect(slackHits).toHaveLength(1)
    const hit = genericHits[0]!
    expect(hit.json.event).toBe('incident.updated')
    expect(hit.json.data.incident_update.body).toBe(MESSAGE)
    expect(
      await verifySignature(
        generic.secret,
        hit.body,
        String(hit.headers['x-earshot-signature']),
        Math.floor(t.clock.now() / 1000),
      ),
    ).toBe(true)
    expect(
      await verifySignature(
        'whsec_wrong',
        hit.body,
        String(hit.headers['x-earshot-signature']),
        Math.floor(t.clock.now() / 1000),
      ),
    ).toBe(false)
    expect(slackHits[0]!.json.text).toContain('Identified: Checkout is failing')

    // Internal notes never leave the dashboard
    const everything = [
      widgetText,
      html,
      summaryText,
      atom,
      rss,
      ...mail.received.map((m) => m.body),
      ...hooks.received.map((h) => h.body),
    ].join('\n')
    expect(everything).not.toContain('INTERNAL-')
    const incidentPage = await (await t.app.request(`/status/demo/incidents/${incidentId}`)).text()
    expect(incidentPage).toContain(MESSAGE)
    expect(incidentPage).not.toContain('INTERNAL-')

    // Never twice: more delivery runs (and more time) send nothing new
    t.clock.advance(3_600_000)
    await deliver()
    await deliver()
    expect(mail.received).toHaveLength(3)
    expect(hooks.received).toHaveLength(4)
  })

  it('retries an e-mail the provider refused, and delivers it once', async () => {
    await subscribeAndConfirm('bo@example.com')
    const auth = await signIn(t)
    mail.failNext(1)
    const res = await api(t, auth, 'POST', '/api/incidents', {
      project_id: t.seed.projectId,
      title: 'Search is slow',
      impact: 'minor',
      message: 'Search takes 10 s.',
    })
    expect(res.status).toBe(201)
    for (let i = 0; i < 5; i++) await deliver()
    expect(mail.received).toHaveLength(1) // the first attempt was refused, the retry waits for its backoff
    t.clock.advance(11_000)
    await deliverUntil(mail, 2)
    expect(mail.received[1]!.json.text).toContain('Search takes 10 s.')
    const log = await t.db.client.execute(
      'SELECT d.status_code, d.error FROM deliveries d JOIN outbox o ON o.id = d.outbox_id ' +
        "WHERE o.channel = 'email' ORDER BY d.at",
    )
    expect(log.rows.some((r) => String(r.error).includes('HTTP 500'))).toBe(true)
    t.clock.advance(3_600_000)
    await deliver()
    expect(mail.received).toHaveLength(2)
  })
})
