import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { outbox } from '../../worker/db/schema/index.js'
import { backoffMs } from '../../worker/domain/notifications/index.js'
import { runBackgroundJobs } from '../../worker/jobs.js'
import { signIn } from '../dashboard/helpers.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { startReceiver } from './receiver.js'

// Issue 11, item 18: the server's clock is set back an hour (NTP correction, a VM restored from a
// snapshot). A webhook retry scheduled 10 s ahead must not then wait an hour.

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const row = async () => (await t.db.orm.select().from(outbox).get())!

describe('webhook retries when the clock goes back', () => {
  it('retries a failed delivery at the next run after the clock is set back an hour, not an hour later', async () => {
    const rx = await startReceiver([500, 200])
    try {
      const admin = await signIn(t)
      const { webhook } = await (
        await admin.post(`/api/projects/${t.seed.projectId}/webhooks`, {
          url: rx.url,
          kind: 'generic',
          events: ['surge'],
        })
      ).json()
      expect((await admin.post(`/api/webhooks/${webhook.id}/test`, {})).status).toBe(202)
      await rx.waitFor(1) // the first attempt went out at once and got a 500
      await expect.poll(async () => (await row()).status).toBe('pending')
      const scheduledAt = t.clock.now()
      expect((await row()).nextAttemptAt).toBe(scheduledAt + backoffMs(1))

      // Not due before its backoff while the clock behaves.
      await runBackgroundJobs(t.deps, () => {})
      expect(rx.received).toHaveLength(1)

      t.clock.set(scheduledAt - 3_600_000) // the clock jumps back an hour
      await runBackgroundJobs(t.deps, () => {})
      expect(rx.received).toHaveLength(2)
      expect(await row()).toMatchObject({ status: 'sent', attempts: 2 })
      const deliveries = await (await admin.get(`/api/webhooks/${webhook.id}/deliveries`)).json()
      expect(
        deliveries.deliveries.map((d: { attempt: number; status_code: number }) => [d.attempt, d.status_code]).sort(),
      ).toEqual([
        [1, 500],
        [2, 200],
      ])
    } finally {
      await rx.close()
    }
  })

  it('still backs off normally after the jump: the next failure waits its backoff on the new clock', async () => {
    const rx = await startReceiver([500, 500, 200])
    try {
      const admin = await signIn(t)
      const { webhook } = await (
        await admin.post(`/api/projects/${t.seed.projectId}/webhooks`, {
          url: rx.url,
          kind: 'generic',
          events: ['surge'],
        })
      ).json()
      await admin.post(`/api/webhooks/${webhook.id}/test`, {})
      await rx.waitFor(1)
      await expect.poll(async () => (await row()).status).toBe('pending')

      t.clock.set(t.clock.now() - 3_600_000)
      await runBackgroundJobs(t.deps, () => {})
      expect(rx.received).toHaveLength(2) // retried at once after the jump, failed again
      expect(await row()).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: t.clock.now() + backoffMs(2) })

      await runBackgroundJobs(t.deps, () => {})
      expect(rx.received).toHaveLength(2) // waiting its 20 s, measured on the corrected clock
      t.clock.advance(backoffMs(2))
      await runBackgroundJobs(t.deps, () => {})
      expect(rx.received).toHaveLength(3)
      expect((await row()).status).toBe('sent')
    } finally {
      await rx.close()
    }
  })

  it("takes over a dead deliverer's claim after the wall clock went back, not waiting out the jump", async () => {
    const rx = await startReceiver([500, 200])
    try {
      const admin = await signIn(t)
      const { webhook } = await (
        await admin.post(`/api/projects/${t.seed.projectId}/webhooks`, {
          url: rx.url,
          kind: 'generic',
          events: ['surge'],
        })
      ).json()
      await admin.post(`/api/webhooks/${webhook.id}/test`, {})
      await rx.waitFor(1)
      await expect.poll(async () => (await row()).status).toBe('pending')
      // What a deliverer that died mid-request an hour "ahead" leaves: claimed, its 2-minute lease
      // running until an hour and two minutes from now on today's (set back) wall clock.
      const { id } = await row()
      await t.db.write((tx) =>
        tx
          .update(outbox)
          .set({ status: 'sending', claimedUntil: Date.now() + 3_600_000 + 120_000 })
          .where(eq(outbox.id, id)),
      )
      t.clock.advance(backoffMs(1))
      await runBackgroundJobs(t.deps, () => {})
      expect(rx.received).toHaveLength(2)
      expect((await row()).status).toBe('sent')
    } finally {
      await rx.close()
    }
  })
})
