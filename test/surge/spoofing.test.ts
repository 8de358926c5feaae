// Issue 11 #6 (surge spoofing): one client at one address inventing reporter ids raised a
// "4 different people" alert. Tried as the attacker did, against the real Node server (the
// client address is the socket's), with a real receiver behind a Slack webhook.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deliverDue } from '../../worker/domain/notifications/index.js'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import { clientNetwork } from '../../worker/domain/reports/client-network.js'
import { startServer, type TestServer } from '../support/server.js'
import { postJson } from '../trust/http.js'
import { startReceiver } from '../notifications/receiver.js'

let s: TestServer
beforeEach(async () => {
  s = await startServer()
})
afterEach(() => s.close())

const count = async (sql: string) => Number((await s.db.client.execute(sql)).rows[0]!.n)
const report = (reporterId: string, from: string) =>
  postJson(
    `${s.url}/v1/reports`,
    {
      message: 'Checkout button does nothing when I click it',
      reporter_id: reporterId,
      email: `${reporterId}@example.com`,
    },
    { 'x-earshot-key': s.key },
    from,
  )

describe('surge reporters are not countable by one address alone', () => {
  it('one address with invented reporter ids and e-mails raises no alert; its reports are all kept', async () => {
    const rx = await startReceiver()
    try {
      await createWebhook(s.deps, { projectId: s.projectId, url: rx.url, kind: 'slack', events: ['surge'] })
      for (let i = 0; i < 12; i++) expect((await report(`invented-${i}`, '127.0.0.1')).status).toBe(202)
      expect(await count('SELECT count(*) AS n FROM reports')).toBe(12) // nothing a customer sent is dropped
      expect(await count('SELECT count(*) AS n FROM surges')).toBe(0)
      await deliverDue(s.deps)
      expect(rx.received).toHaveLength(0)
      // Counted as one reporter, stored as a keyed hash: no address in the clear.
      const rows = (await s.db.client.execute('SELECT DISTINCT reporter FROM surge_reporters')).rows.map((r) =>
        String(r.reporter),
      )
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatch(/^a:[0-9a-f]{32}$/)
      expect(JSON.stringify(rows)).not.toContain('127.0.0')
    } finally {
      await rx.close()
    }
  })

  it('the same reports from different addresses are different people and do alert', async () => {
    const rx = await startReceiver()
    try {
      await createWebhook(s.deps, { projectId: s.projectId, url: rx.url, kind: 'generic', events: ['surge'] })
      for (let i = 0; i < 6; i++) expect((await report(`person-${i}`, `127.0.0.${20 + i}`)).status).toBe(202)
      await rx.waitFor(1)
      const body = JSON.parse(rx.received[0]!.body)
      expect(body.data.reporters).toBe(body.data.reports)
      expect(body.data.reporters).toBeGreaterThanOrEqual(2)
    } finally {
      await rx.close()
    }
  })

  it('treats an IPv6 /64 as one client, and IPv4-mapped IPv6 as its IPv4 address', () => {
    expect(clientNetwork('2001:db8:1:2:aaaa::1')).toBe(clientNetwork('2001:db8:1:2:ffff:ffff:ffff:fffe'))
    expect(clientNetwork('2001:db8:1:2::1')).not.toBe(clientNetwork('2001:db8:1:3::1'))
    expect(clientNetwork('::ffff:203.0.113.9')).toBe('203.0.113.9')
  })
})
