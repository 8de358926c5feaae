// Issue 11 #10: Node behind a TLS-terminating proxy (the documented setup). The browser is on
// https://earshot.example.com and sends that Origin; Node sees plain http from the proxy. With
// EARSHOT_TRUST_PROXY the proxy's X-Forwarded-Proto / X-Forwarded-Host count (and PUBLIC_URL's
// origin is ours anyway); without it those headers are never believed. Real Node entry, real socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp } from '../support/db.js'
import { startServer, type TestServer } from '../support/server.js'

const PUBLIC_URL = 'https://earshot.example.com'
const FROM_PROXY = {
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'earshot.example.com',
  'x-forwarded-for': '203.0.113.9',
}

async function signIn(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  })
  expect(res.status).toBe(200)
  return res.headers.get('set-cookie')!
}

describe('behind a TLS-terminating proxy (EARSHOT_TRUST_PROXY=1, PUBLIC_URL=https://…)', () => {
  let s: TestServer
  let cookie: string
  beforeAll(async () => {
    s = await startServer({ config: { trustProxy: '1', publicUrl: PUBLIC_URL } })
    const setCookie = await signIn(s.url, { ...FROM_PROXY, origin: PUBLIC_URL })
    expect(setCookie).toMatch(/;\s*Secure/i) // the browser is on https, whatever Node sees
    cookie = setCookie.split(';')[0]!
  })
  afterAll(() => s.close())

  const write = (headers: Record<string, string>) =>
    fetch(`${s.url}/api/projects/${s.projectId}/status-tokens`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ label: 'Partner' }),
    })

  it('accepts the dashboard’s writes from https://earshot.example.com, and still refuses other origins', async () => {
    expect((await write({ ...FROM_PROXY, origin: PUBLIC_URL })).status).toBe(201)
    // A proxy that does not send X-Forwarded-Host (it passes the Host through): PUBLIC_URL decides.
    expect((await write({ 'x-forwarded-proto': 'https', origin: PUBLIC_URL })).status).toBe(201)
    for (const origin of ['https://evil.example', 'http://earshot.example.com', 'null']) {
      const res = await write({ ...FROM_PROXY, origin })
      expect(res.status, origin).toBe(403)
      expect(((await res.json()) as any).error.code).toBe('cross_origin')
    }
  })

  it('sets the status-token cookie Secure when the proxy says https', async () => {
    const created = (await (await write({ ...FROM_PROXY, origin: PUBLIC_URL })).json()) as { secret: string }
    const page = await fetch(`${s.url}/status/demo?token=${created.secret}`, { headers: FROM_PROXY })
    expect(page.status).toBe(200)
    const setCookie = page.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^earshot_status_token=/)
    expect(setCookie).toMatch(/;\s*Secure/i)
    expect(setCookie).toMatch(/HttpOnly/i)
  })
})

describe('without EARSHOT_TRUST_PROXY, forwarding headers are not believed', () => {
  it('refuses an attacker’s Origin even when X-Forwarded-* claim it, and sets no Secure flag from them', async () => {
    const t = await createTestApp() // test environment, no proxy trusted, PUBLIC_URL the default
    try {
      const forged = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' }
      const login = await t.app.request('http://earshot.internal/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...forged },
        body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      })
      expect(login.headers.get('set-cookie')).not.toMatch(/Secure/i)
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!
      const res = await t.app.request(`http://earshot.internal/api/projects/${t.seed.projectId}/status-tokens`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: 'https://evil.example', ...forged },
        body: JSON.stringify({ label: 'x' }),
      })
      expect(res.status).toBe(403)
      const ok = await t.app.request(`http://earshot.internal/api/projects/${t.seed.projectId}/status-tokens`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: 'http://earshot.internal', ...forged },
        body: JSON.stringify({ label: 'y' }),
      })
      expect(ok.status).toBe(201)
      const { secret } = (await ok.json()) as { secret: string }
      const page = await t.app.request(`http://earshot.internal/status/demo?token=${secret}`, { headers: forged })
      expect(page.headers.get('set-cookie')).not.toMatch(/Secure/i)
    } finally {
      t.close()
    }
  })

  it('sets the status-token cookie Secure in production even over plain http to Node', async () => {
    const t = await createTestApp({
      config: { environment: 'production', publicUrl: PUBLIC_URL, secretKey: 'k'.repeat(32) },
    })
    try {
      const login = await t.app.request('http://earshot.internal/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      })
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!
      const created = await t.app.request(`http://earshot.internal/api/projects/${t.seed.projectId}/status-tokens`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: PUBLIC_URL },
        body: JSON.stringify({ label: 'z' }),
      })
      expect(created.status).toBe(201)
      const { secret } = (await created.json()) as { secret: string }
      const page = await t.app.request(`http://earshot.internal/status/demo?token=${secret}`)
      expect(page.headers.get('set-cookie')).toMatch(/;\s*Secure/i)
    } finally {
      t.close()
    }
  })
})
