import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import { startServer, type TestServer } from '../support/server.js'
import { postJson } from '../trust/http.js'
import { startReceiver } from './receiver.js'

let s: TestServer
beforeEach(async () => {
  s = await startServer()
})
afterEach(() => s.close())

describe('surge alert on the real Node server', () => {
  it('reports over HTTP cross the threshold and the webhook receives one Slack message', async () => {
    const rx = await startReceiver()
    try {
      await createWebhook(s.deps, { projectId: s.projectId, url: rx.url, kind: 'slack', events: ['surge'] })
      // Seven people on seven addresses (one address counts as one reporter, however many ids it sends).
      const post = (reporter: string, from: string) =>
        postJson(`${s.url}/v1/reports`, { message: 'Where did the pricing page go?', reporter_id: reporter, release: 'web@9.9.9' }, { 'x-earshot-key': s.key }, from)
      for (let i = 0; i < 7; i++) expect((await post(`n-${i}`, `127.0.0.${2 + i}`)).status).toBe(202)
      await rx.waitFor(1)
      await new Promise((r) => setTimeout(r, 300))
      expect(rx.received).toHaveLength(1)
      const body = JSON.parse(rx.received[0]!.body)
      expect(body.text).toContain('Where did the pricing page go?')
      expect(Array.isArray(body.blocks)).toBe(true)
      expect(rx.received[0]!.headers['x-earshot-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    } finally {
      await rx.close()
    }
  })
})
