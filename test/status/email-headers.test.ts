import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deliverDue, outboxTransport } from '../../worker/domain/notifications/index.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { clusterOf } from '../support/pipeline.js'
import { api, signIn, startReceiver, type Receiver } from './support.js'

// Issue 11, item 13: a CR/LF in an incident (or maintenance) title reached the e-mail's Subject
// header — "\r\nBcc: …" is a header injection wherever a relay builds the message from it. Every
// e-mail here goes out through a real HTTP e-mail API receiver; its headers must be single lines.

let t: TestApp
let mail: Receiver
beforeEach(async () => {
  mail = await startReceiver()
  t = await createTestApp({
    config: { email: { apiUrl: `${mail.url}/emails`, from: 'Acme Status <status@acme.test>' } },
  })
})
afterEach(async () => {
  t.close()
  await mail.close()
})

async function deliverUntil(n: number) {
  for (let i = 0; i < 50 && mail.received.length < n; i++) {
    await deliverDue(t.deps, outboxTransport(t.deps))
    if (mail.received.length < n) await new Promise((ok) => setTimeout(ok, 20))
  }
  expect(mail.received.length).toBe(n)
}
const form = (path: string, fields: Record<string, string>) =>
  t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })

async function subscribe(email: string) {
  // Counted before the POST: the outbox kick may have delivered the mail by the time it answers.
  const before = mail.received.length
  expect((await form('/status/demo/subscribe', { email })).status).toBe(202)
  await deliverUntil(before + 1)
  const url = new URL(/Confirm: (\S+)/.exec(mail.received.at(-1)!.json.text)![1]!)
  expect((await form(url.pathname, { token: url.searchParams.get('token')! })).status).toBe(200)
}

const INJECTED = 'Checkout down\r\nBcc: victim@evil.example\r\n\r\nClick https://evil.example'
const FOLDED = 'Checkout down Bcc: victim@evil.example Click https://evil.example'

describe('e-mail headers built from incident text', () => {
  it('folds CR/LF (and other control characters) in titles to spaces in every subject and header', async () => {
    await subscribe('ann@example.com')
    const auth = await signIn(t)

    // A customer who left an e-mail: told when it is fixed ("Fixed: <title>").
    const report = await t.app.request('/v1/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': t.key, origin: 'https://shop.example.com' },
      body: JSON.stringify({ message: 'Checkout does not work', email: 'cy@example.com' }),
    })
    // The 202 promises only the id: the cluster comes once the pipeline has processed the report.
    const cluster_id = await clusterOf(t.deps, (await report.json()).id)

    const declared = await api(t, auth, 'POST', '/api/incidents', {
      project_id: t.seed.projectId,
      cluster_id,
      title: INJECTED,
      impact: 'major',
      message: 'Looking into it.',
    })
    expect(declared.status).toBe(201)
    t.clock.advance(60_000)
    expect(
      (
        await api(t, auth, 'POST', `/api/incidents/${declared.json.incident.id}/updates`, {
          status: 'resolved',
          message: 'Fixed.',
        })
      ).status,
    ).toBe(201)
    const start = new Date(t.clock.now() + 86_400_000).toISOString()
    const end = new Date(t.clock.now() + 90_000_000).toISOString()
    expect(
      (
        await api(t, auth, 'POST', `/api/projects/${t.seed.projectId}/maintenances`, {
          title: `DB upgrade\nBcc: victim@evil.example\u0000`,
          starts_at: start,
          ends_at: end,
        })
      ).status,
    ).toBe(201)

    // confirmation, declared, resolved (subscriber), fixed (reporter), maintenance
    await deliverUntil(5)
    const sent = mail.received
      .slice(1)
      .map((r) => r.json as { to: string[]; subject: string; headers?: Record<string, string> })
    const subjects = sent.map((m) => m.subject)
    expect(subjects).toEqual(
      expect.arrayContaining([
        `[Acme Shop] Investigating: ${FOLDED}`,
        `[Acme Shop] Resolved: ${FOLDED}`,
        `[Acme Shop] Fixed: ${FOLDED}`,
        '[Acme Shop] Scheduled maintenance: DB upgrade Bcc: victim@evil.example',
      ]),
    )
    for (const m of sent) {
      expect(m.subject).not.toMatch(/[\u0000-\u001f\u007f]/)
      for (const value of Object.values(m.headers ?? {})) expect(value).not.toMatch(/[\u0000-\u001f\u007f]/)
    }
    expect(sent.find((m) => m.to[0] === 'cy@example.com')?.subject).toBe(`[Acme Shop] Fixed: ${FOLDED}`)
  })
})
