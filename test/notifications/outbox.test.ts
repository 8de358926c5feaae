import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { deliveries, outbox, webhooks } from '../../worker/db/schema/index.js'
import { verifySignature } from '../../worker/domain/notifications/crypto.js'
import { backoffMs, deliverDue, enqueue } from '../../worker/domain/notifications/index.js'
import { createWebhook, notifyWebhooks } from '../../worker/domain/notifications/webhooks.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { startReceiver } from './receiver.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const message = (at: number) => ({ event: 'surge' as const, title: 'Surge', text: 'many reports', data: { n: 1 }, at })

describe('notification outbox', () => {
  it('enqueues a dedupe key once, however often the event is notified', async () => {
    const rx = await startReceiver()
    try {
      await createWebhook(t.deps, { projectId: t.seed.projectId, url: rx.url, kind: 'generic', events: ['surge'] })
      for (let i = 0; i < 3; i++)
        await t.db.write((tx) => notifyWebhooks(tx, t.deps, t.seed.projectId, 'surge:s1', message(t.clock.now())))
      expect(await t.db.orm.select().from(outbox).all()).toHaveLength(1)
      await rx.waitFor(1)
      await deliverDue(t.deps)
      expect(rx.received).toHaveLength(1)
    } finally {
      await rx.close()
    }
  })

  it('rolls back with the event: a failed transaction leaves no notification behind', async () => {
    await expect(
      t.db.write(async (tx) => {
        await enqueue(
          tx,
          { channel: 'webhook', target: 'http://127.0.0.1:9/x', payload: {}, dedupeKey: 'k1' },
          t.clock.now(),
        )
        throw new Error('the event failed')
      }),
    ).rejects.toThrow('the event failed')
    expect(await t.db.orm.select().from(outbox).all()).toHaveLength(0)
  })

  it('retries with backoff after a 500, logs every attempt, and delivers exactly once', async () => {
    const rx = await startReceiver([500, 500, 200])
    try {
      const { secret } = await createWebhook(t.deps, {
        projectId: t.seed.projectId,
        url: rx.url,
        kind: 'generic',
        events: ['surge'],
      })
      await t.db.write((tx) => notifyWebhooks(tx, t.deps, t.seed.projectId, 'surge:s2', message(t.clock.now())))
      await rx.waitFor(1) // the kick sent attempt 1 right away
      await expect.poll(async () => (await t.db.orm.select().from(outbox).get())!.status).toBe('pending')
      const afterFirst = (await t.db.orm.select().from(outbox).get())!
      expect(afterFirst.attempts).toBe(1)
      expect(afterFirst.nextAttemptAt).toBe(t.clock.now() + backoffMs(1))

      // Not due yet: nothing is sent.
      expect((await deliverDue(t.deps)).claimed).toBe(0)
      t.clock.advance(backoffMs(1))
      expect(await deliverDue(t.deps)).toMatchObject({ claimed: 1, retrying: 1 })
      const afterSecond = (await t.db.orm.select().from(outbox).get())!
      expect(afterSecond.nextAttemptAt).toBe(t.clock.now() + backoffMs(2))
      expect(backoffMs(2)).toBe(2 * backoffMs(1))
      t.clock.advance(backoffMs(2))
      expect(await deliverDue(t.deps)).toMatchObject({ claimed: 1, sent: 1 })
      t.clock.advance(3_600_000)
      expect((await deliverDue(t.deps)).claimed).toBe(0)

      expect(rx.received).toHaveLength(3)
      const row = (await t.db.orm.select().from(outbox).get())!
      expect(row).toMatchObject({ status: 'sent', attempts: 3 })
      const log = await t.db.orm
        .select()
        .from(deliveries)
        .where(eq(deliveries.outboxId, row.id))
        .orderBy(deliveries.attempt)
        .all()
      expect(log.map((d) => [d.attempt, d.statusCode])).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ])
      // Every attempt is the same delivery (same id, same body), freshly signed.
      expect(new Set(rx.received.map((r) => r.headers['x-earshot-delivery'])).size).toBe(1)
      for (const r of rx.received) {
        const header = r.headers['x-earshot-signature'] as string
        expect(await verifySignature(secret, r.body, header, Number(header.match(/t=(\d+)/)![1]))).toBe(true)
      }
    } finally {
      await rx.close()
    }
  })

  it('never sends a row twice when deliverers race', async () => {
    const rx = await startReceiver()
    try {
      await t.db.write(async (tx) => {
        for (let i = 0; i < 5; i++)
          await enqueue(
            tx,
            { channel: 'webhook', target: rx.url, payload: { i }, dedupeKey: `race-${i}` },
            t.clock.now(),
          )
      })
      const results = await Promise.all([deliverDue(t.deps), deliverDue(t.deps), deliverDue(t.deps)])
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(5)
      expect(rx.received).toHaveLength(5)
      expect(new Set(rx.received.map((r) => r.body)).size).toBe(5)
    } finally {
      await rx.close()
    }
  })

  it('gives up on a deleted webhook without sending', async () => {
    const rx = await startReceiver()
    try {
      const { webhook } = await createWebhook(t.deps, {
        projectId: t.seed.projectId,
        url: rx.url,
        kind: 'slack',
        events: ['surge'],
      })
      await t.db.write((tx) =>
        enqueue(
          tx,
          { channel: 'webhook', target: rx.url, webhookId: webhook.id, payload: {}, dedupeKey: 'gone' },
          t.clock.now(),
        ),
      )
      await t.db.write((tx) => tx.delete(webhooks))
      expect(await deliverDue(t.deps)).toMatchObject({ claimed: 1, failed: 1 })
      expect(rx.received).toHaveLength(0)
    } finally {
      await rx.close()
    }
  })
})
