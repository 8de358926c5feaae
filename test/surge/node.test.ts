import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import type { BatchOutcome } from '../../worker/domain/pipeline/index.js'
import { startServer, type TestServer } from '../support/server.js'
import { postJson } from '../trust/http.js'
import { startReceiver } from '../notifications/receiver.js'

let s: TestServer
beforeEach(async () => {
  // Only an intake commit wakes the pipeline here: its periodic look for waiting reports is off.
  s = await startServer({ pipeline: { safetyMs: 3_600_000 } })
})
afterEach(() => s.close())

describe('surge alert on the real Node server', () => {
  it('reports over HTTP cross the threshold and the webhook receives one Slack message', async () => {
    const rx = await startReceiver()
    try {
      await createWebhook(s.deps, { projectId: s.projectId, url: rx.url, kind: 'slack', events: ['surge'] })
      // Seven people on seven addresses (one address counts as one reporter, however many ids it sends).
      const post = (reporter: string, from: string) =>
        postJson(
          `${s.url}/v1/reports`,
          { message: 'Where did the pricing page go?', reporter_id: reporter, release: 'web@9.9.9' },
          { 'x-earshot-key': s.key },
          from,
        )
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

  // The server's own pipeline (nothing here drains it, and background jobs are off) is woken by
  // each intake commit. The bounds are the issue's: clustered ≤ 2 s after the 202 even under load
  // (here: nearly idle), the surge webhook ≤ 5 s after the crossing report.
  it('clusters each report alone after the 202; the surge webhook leaves ≤ 5 s after the crossing one', async () => {
    const rx = await startReceiver()
    const batches: { at: number; outcome: BatchOutcome }[] = []
    const acked = new Map<string, number>()
    // Resolves once the server's pipeline has processed every acknowledged report: the webhook
    // (sent from the crossing report's batch, the 4th) can arrive before the last reports' batch.
    let allProcessed!: () => void
    const processed = new Promise<void>((ok) => (allProcessed = ok))
    const seen = new Set<string>()
    const checkAll = () => acked.size === 7 && [...acked.keys()].every((id) => seen.has(id)) && allProcessed()
    const off = s.deps.pipeline.onBatch((outcome) => {
      batches.push({ at: Date.now(), outcome })
      for (const p of outcome.processed) seen.add(p.id)
      checkAll()
    })
    try {
      await createWebhook(s.deps, { projectId: s.projectId, url: rx.url, kind: 'slack', events: ['surge'] })
      for (let i = 0; i < 7; i++) {
        // One person per address (surges count an address once).
        const res = await postJson(
          `${s.url}/v1/reports`,
          { message: 'Checkout button does nothing at all', reporter_id: `w-${i}`, release: 'web@1.2.3' },
          { 'x-earshot-key': s.key },
          `127.0.0.${20 + i}`,
        )
        expect(res.status).toBe(202)
        const body = res.json()
        expect(body).toEqual({ id: expect.any(String) }) // no cluster promised
        acked.set(body.id, Date.now())
      }
      checkAll()
      await rx.waitFor(1, 10_000)
      await processed
      const clusteredAt = new Map(batches.flatMap((b) => b.outcome.processed.map((p) => [p.id, b.at] as const)))
      for (const [id, at] of acked) {
        expect(clusteredAt.has(id), `report ${id} clustered by the server's pipeline`).toBe(true)
        expect(clusteredAt.get(id)! - at).toBeLessThanOrEqual(2_000)
      }
      const crossing = batches.flatMap((b) => b.outcome.processed).find((p) => p.surges?.length)
      expect(crossing, 'one report crossed the surge threshold').toBeDefined()
      expect(rx.received[0]!.at - acked.get(crossing!.id)!).toBeLessThanOrEqual(5_000)
    } finally {
      off()
      await rx.close()
    }
  })
})
