import { describe, expect, it } from 'vitest'
import { checkTargetUrl, isPrivateAddress } from '../../worker/domain/notifications/ssrf.js'
import { configureOutbox, deliverDue, enqueue } from '../../worker/domain/notifications/index.js'
import { nodeWebhookFetch, type Resolve } from '../../worker/entries/node-fetch.js'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/db.js'
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
    // Spellings an attacker tried (issue 11 #15) and their relatives:
    'https://localhost./hook',
    'https://LOCALHOST../hook',
    'https://api.localhost./hook',
    'https://127.0.0.1./hook',
    'https://[::7f00:1]/hook', // IPv4-compatible IPv6 of 127.0.0.1
    'https://[::ffff:0:7f00:1]/hook', // IPv4-translated (RFC 6145)
    'https://[2002:7f00:1::1]/hook', // 6to4 of 127.0.0.1
    'https://[2002:a00:1::1]/hook', // 6to4 of 10.0.0.1
    'https://[64:ff9b::a9fe:a9fe]/hook', // NAT64 of 169.254.169.254
    'https://[64:ff9b:1::a00:1]/hook', // local-use NAT64 (RFC 8215)
    'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook', // Teredo
    'https://[::]/hook',
    'https://[fec0::1]/hook', // site-local
    'https://[ff02::1]/hook',
    'https://[100::1]/hook', // discard prefix
    'https://[2001:db8::1]/hook',
    'https://[::ffff:10.0.0.1]/hook',
    'https://192.0.2.1/hook',
    'https://198.18.0.1/hook',
    'https://240.0.0.1/hook',
    'https://255.255.255.255/hook',
    'https://router.home.arpa/hook',
    'https://1.0.0.127.in-addr.arpa/hook',
  ])('refuses %s in production', (url) => {
    expect(() => checkTargetUrl(url, production)).toThrow()
  })

  it.each([
    'https://hooks.slack.com/services/T000/B000/XXXX',
    'https://hooks.slack.com./services/x',
    'https://8.8.8.8/hook',
    'https://[2606:4700::1111]/hook',
    'https://[::ffff:8.8.8.8]/hook',
  ])('allows %s', (url) => {
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
    for (const a of [
      '::7f00:1',
      '::ffff:0:7f00:1',
      '2002:7f00:1::1',
      '64:ff9b::7f00:1',
      'fe80::1%eth0',
      '10.0.0.1',
      'not an address',
      '0177.0.0.1',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true)
    }
  })

  it('refuses to create a private webhook, and refuses to deliver to one, under production config', async () => {
    const t = await createTestApp({
      config: { environment: 'production', secretKey: 'test-secret-key-0123456789abcdef' },
    })
    const rx = await startReceiver()
    try {
      await expect(
        createWebhook(t.deps, { projectId: t.seed.projectId, url: rx.url, kind: 'generic', events: ['surge'] }),
      ).rejects.toMatchObject({
        kind: 'invalid', // answered as 400
        code: 'invalid_webhook_url',
      })
      // Even a row that reached the outbox some other way is never sent to a private address.
      await t.db.write((tx) =>
        enqueue(tx, { channel: 'webhook', target: rx.url, payload: { x: 1 }, dedupeKey: 'private' }, t.clock.now()),
      )
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
      await expect(
        createWebhook(t.deps, {
          projectId: t.seed.projectId,
          url: 'https://hooks.example.com/x',
          kind: 'generic',
          events: ['surge'],
        }),
      ).rejects.toMatchObject({
        code: 'secret_key_missing',
      })
    } finally {
      t.close()
    }
  })
})

describe('webhook SSRF guard, tried as an attacker would (issue 11 #15)', () => {
  const production = { environment: 'production' as const, secretKey: 'test-secret-key-0123456789abcdef' }

  async function ownerCookie(t: TestApp) {
    const res = await t.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    })
    return res.headers.get('set-cookie')!.split(';')[0]!
  }
  const createHook = (t: TestApp, cookie: string, url: string) =>
    t.app.request(`/api/projects/${t.seed.projectId}/webhooks`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ url, kind: 'generic', events: ['surge'] }),
    })

  it.each([
    'https://localhost./hook',
    'https://[::7f00:1]/hook',
    'https://[::ffff:0:7f00:1]/hook',
    'https://[2002:7f00:1::1]/hook',
  ])('an owner cannot point a webhook at %s in production', async (url) => {
    const t = await createTestApp({ config: production })
    try {
      const res = await createHook(t, await ownerCookie(t), url)
      expect(res.status).toBe(400)
      expect((await res.json()).error.code).toBe('invalid_webhook_url')
      expect((await t.db.client.execute('SELECT count(*) AS n FROM webhooks')).rows[0]!.n).toBe(0)
    } finally {
      t.close()
    }
  })

  /** A DNS server the attacker controls: answers each question from the list, the last one repeating. */
  function attackerDns(answers: string[]): Resolve & { calls: string[] } {
    const calls: string[] = []
    const resolve = async (host: string) => {
      const address = answers[Math.min(calls.length, answers.length - 1)]!
      calls.push(host)
      return [{ address, family: address.includes(':') ? 6 : 4 }]
    }
    return Object.assign(resolve, { calls })
  }

  it('a public-looking name that resolves to loopback is refused at delivery, without connecting', async () => {
    const t = await createTestApp({ config: production })
    const rx = await startReceiver()
    try {
      const dns = attackerDns(['127.0.0.1'])
      configureOutbox(t.deps, { fetch: nodeWebhookFetch(t.deps.config, { resolve: dns }) })
      const cookie = await ownerCookie(t)
      const created = await createHook(t, cookie, `https://hooks.rebind-attack.example:${new URL(rx.url).port}/hook`)
      expect(created.status).toBe(201) // the name itself looks public
      const { webhook } = await created.json()
      expect(
        (
          await t.app.request(`/api/webhooks/${webhook.id}/test`, {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
      ).toBe(202)
      await deliverDue(t.deps)
      expect(rx.received).toHaveLength(0)
      expect(dns.calls).toEqual(['hooks.rebind-attack.example'])
      const [row] = await t.db.orm.select().from(outbox).all()
      expect(row).toMatchObject({ status: 'failed' }) // permanent: not retried ten times
      expect(row!.lastError).toMatch(/resolves to a private address/)
    } finally {
      await rx.close()
      t.close()
    }
  })

  it('connects to the very address resolved and checked: one lookup per delivery, no second resolution', async () => {
    // Development allows loopback, so the connection can be observed: the name does not exist in
    // any real DNS, so the request can only reach the receiver through the guard's own answer.
    // A rebinding server that would answer something else the second time is never asked again.
    const t = await createTestApp({ config: { environment: 'development' } })
    const rx = await startReceiver()
    try {
      const dns = attackerDns(['127.0.0.1', '10.9.9.9'])
      configureOutbox(t.deps, { fetch: nodeWebhookFetch(t.deps.config, { resolve: dns }) })
      const hook = await createWebhook(t.deps, {
        projectId: t.seed.projectId,
        url: `http://hooks.rebind-attack.example:${new URL(rx.url).port}/hook`,
        kind: 'generic',
        events: ['surge'],
      })
      await t.db.write((tx) =>
        enqueue(
          tx,
          {
            channel: 'webhook',
            target: hook.webhook.url,
            webhookId: hook.webhook.id,
            payload: { x: 1 },
            dedupeKey: 'rebind',
          },
          t.clock.now(),
        ),
      )
      expect(await deliverDue(t.deps)).toMatchObject({ claimed: 1, sent: 1 })
      expect(rx.received).toHaveLength(1)
      expect(rx.received[0]!.headers.host).toBe(`hooks.rebind-attack.example:${new URL(rx.url).port}`)
      expect(dns.calls).toHaveLength(1)
    } finally {
      await rx.close()
      t.close()
    }
  })
})
