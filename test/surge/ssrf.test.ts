import { describe, expect, it } from 'vitest'
import { checkTargetUrl, isPrivateAddress } from '../../worker/domain/notifications/ssrf.js'
import { deliverDue, enqueue } from '../../worker/domain/notifications/outbox.js'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import { createTestApp } from '../support/db.js'
import { startReceiver } from './receiver.js'
import { outbox, deliveries } from '../../worker/db/schema/index.js'

const production = { environment: 'production' as const }

describe('webhook SSRF guard', () => {
  it.each([
    'http://127.0.0.1/hook',
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://api.localhost/hook',
    'https://10.1.2.3/hook',
    'https://172.16.0.1/hook',
    'https://192.168.1.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:7f00:1]/hook',
    'https://[fd00::1]/hook',
    'https://[fe80::1]/hook',
    'https://2130706433/hook', // 127.0.0.1 as one decimal number (URL parsing normalises it)
    'https://0x7f.1/hook',
    'https://metadata.google.internal/computeMetadata/v1',
    'https://intranet/hook',
    'https://user:pass@hooks.example.com/x',
    'ftp://hooks.example.com/x',
    'http://hooks.example.com/x', // production wants https
  ])('refuses %s in production', (url) => {
    expect(() => checkTargetUrl(url, production)).toThrow()
  })

  it.each(['https://hooks.slack.com/services/T000/B000/XXXX', 'https://8.8.8.8/hook', 'https://[2606:4700::1111]/hook'])('allows %s', (url) => {
    expect(() => checkTargetUrl(url, production)).not.toThrow()
  })

  it('allows loopback in development and test, where receivers are local', () => {
    expect(() => checkTargetUrl('http://127.0.0.1:8080/hook', { environment: 'development' })).not.toThrow()
    expect(() => checkTargetUrl('http://localhost:8080/hook', { environment: 'test' })).not.toThrow()
  })

  it('classifies addresses', () => {
    expect(isPrivateAddress('127.0.0.1')).toBe(true)
    expect(isPrivateAddress('::1')).toBe(true)
    expect(isPrivateAddress('1.1.1.1')).toBe(false)
    expect(isPrivateAddress('2001:4860:4860::8888')).toBe(false)
  })

  it('refuses to create a private webhook, and refuses to deliver to one, under production config', async () => {
    const t = await createTestApp({ config: { environment: 'production', secretKey: 'test-secret-key-0123456789abcdef' } })
    const rx = await startReceiver()
    try {
      await expect(createWebhook(t.deps, { projectId: t.seed.projectId, url: rx.url, kind: 'generic', events: ['surge'] })).rejects.toMatchObject({
        status: 400,
        code: 'invalid_webhook_url',
      })
      // Even a row that reached the outbox some other way is never sent to a private address.
      await t.db.write((tx) => enqueue(tx, { channel: 'webhook', target: rx.url, payload: { x: 1 }, dedupeKey: 'private' }, t.clock.now()))
      expect(await deliverDue(t.deps)).toMatchObject({ claimed: 1, failed: 1 })
      expect(rx.received).toHaveLength(0)
      const [row] = await t.db.orm.select().from(outbox).all()
      expect(row).toMatchObject({ status: 'failed' })
      expect(row!.lastError).toMatch(/private|https/)
      expect(await t.db.orm.select().from(deliveries).all()).toHaveLength(1)
    } finally {
      await rx.close()
      t.close()
    }
  })

  it('refuses to store webhook secrets in production without EARSHOT_SECRET_KEY', async () => {
    const t = await createTestApp({ config: { environment: 'production', secretKey: undefined } })
    try {
      await expect(createWebhook(t.deps, { projectId: t.seed.projectId, url: 'https://hooks.example.com/x', kind: 'generic', events: ['surge'] })).rejects.toMatchObject({
        code: 'secret_key_missing',
      })
    } finally {
      t.close()
    }
  })
})
