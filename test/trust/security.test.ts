import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PUBLIC_DIR } from '../../worker/entries/node-server.js'
import { launchBrowser } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/db.js'
import { clusterOf } from '../support/pipeline.js'
import { startServer, type TestServer } from '../support/server.js'

const built = existsSync(`${PUBLIC_DIR}/dashboard/index.html`) && existsSync(`${PUBLIC_DIR}/widget.js`)

describe('security headers on the real server', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startServer()
  })
  afterAll(() => s.close())

  const csp = (res: Response) => res.headers.get('content-security-policy') ?? ''

  it('gives every HTML page (status page, demo page) a CSP without inline script and no framing', async () => {
    for (const path of ['/status/demo', '/']) {
      const res = await fetch(`${s.url}${path}`)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      expect(csp(res)).toContain("script-src 'self'")
      expect(csp(res)).not.toMatch(/script-src[^;]*unsafe-inline/)
      expect(csp(res)).toContain("frame-ancestors 'none'")
      expect(csp(res)).toContain("object-src 'none'")
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    }
  })

  it('keeps the widget and the public API embeddable cross-origin (no CORP, no CSP on scripts/JSON)', async () => {
    const api = await fetch(`${s.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': s.key, origin: s.url },
      body: JSON.stringify({ message: 'Header check' }),
    })
    expect(api.status).toBe(202)
    expect(api.headers.get('cross-origin-resource-policy')).toBeNull()
    expect(api.headers.get('access-control-allow-origin')).toBe(s.url)
    expect(api.headers.get('x-content-type-options')).toBe('nosniff')
    expect(csp(api)).toBe('')
    if (built) {
      const script = await fetch(`${s.url}/widget.js`)
      expect(script.status).toBe(200)
      expect(script.headers.get('cross-origin-resource-policy')).toBeNull()
      expect(csp(script)).toBe('')
      expect(script.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })

  it.skipIf(!built)(
    'serves the dashboard with the CSP, and the dashboard, status and demo pages run under it without violations',
    async () => {
      const res = await fetch(`${s.url}/dashboard/`)
      expect(res.status).toBe(200)
      expect(csp(res)).toContain("script-src 'self'")
      const browser = await launchBrowser()
      try {
        for (const path of ['/dashboard/', '/status/demo', '/']) {
          const page = await browser.newPage()
          const violations: string[] = []
          page.on('console', (m) => {
            if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text())
          })
          await page.goto(`${s.url}${path}`, { waitUntil: 'networkidle' })
          if (path === '/dashboard/') {
            await page.fill('input[type=email]', ADMIN_EMAIL)
            await page.fill('input[type=password]', ADMIN_PASSWORD)
            await page.keyboard.press('Enter')
            await page.waitForLoadState('networkidle')
          }
          expect(violations, path).toEqual([])
          await page.close()
        }
      } finally {
        await browser.close()
      }
    },
    60_000,
  )
})

describe('session cookie and CSRF', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.close())

  const login = (url = 'http://earshot.test/api/session') =>
    t.app.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    })

  it('sets the session cookie HttpOnly and SameSite, and Secure behind HTTPS', async () => {
    const plain = (await login()).headers.get('set-cookie')!
    expect(plain).toMatch(/^earshot_session=/)
    expect(plain).toMatch(/HttpOnly/i)
    expect(plain).toMatch(/SameSite=(Lax|Strict)/i)
    const secure = (await login('https://earshot.test/api/session')).headers.get('set-cookie')!
    expect(secure).toMatch(/;\s*Secure/i)
    expect(secure).toMatch(/HttpOnly/i)
  })

  it('refuses a sign-in from another site (login CSRF) or as a form, and signs in same-origin', async () => {
    const signIn = (headers: Record<string, string>) =>
      t.app.request('http://earshot.test/api/session', {
        method: 'POST',
        headers,
        body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      })
    const crossSite = await signIn({ 'content-type': 'application/json', origin: 'https://evil.example' })
    expect(crossSite.status).toBe(403)
    expect((await crossSite.json()).error.code).toBe('cross_origin')
    expect(crossSite.headers.get('set-cookie')).toBeNull()
    const form = await signIn({ 'content-type': 'text/plain', origin: 'https://evil.example' })
    expect(form.status).toBe(403)
    const asForm = await signIn({ 'content-type': 'text/plain' })
    expect(asForm.status).toBeGreaterThanOrEqual(400)
    expect(asForm.headers.get('set-cookie')).toBeNull()
    const same = await signIn({ 'content-type': 'application/json', origin: 'http://earshot.test' })
    expect(same.status).toBe(200)
    expect(same.headers.get('set-cookie')).toMatch(/^earshot_session=/)
  })

  it('refuses state-changing /api requests from another origin or as a form; accepts same-origin JSON', async () => {
    const cookie = (await login()).headers.get('set-cookie')!.split(';')[0]!
    const rep = await t.app.request('/v1/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': t.key },
      body: JSON.stringify({ message: 'CSRF target' }),
    })
    const clusterId = await clusterOf(t.deps, (await rep.json()).id)
    const change = (headers: Record<string, string>, body = JSON.stringify({ status: 'muted' })) =>
      t.app.request(`http://earshot.test/api/clusters/${clusterId}/status`, {
        method: 'POST',
        headers: { cookie, ...headers },
        body,
      })
    const crossSite = await change({ 'content-type': 'application/json', origin: 'https://evil.example' })
    expect(crossSite.status).toBe(403)
    expect((await crossSite.json()).error.code).toBe('cross_origin')
    // What a cross-site HTML form can send without a preflight:
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      const form = await change({ 'content-type': type }, 'status=muted')
      expect(form.status, type).toBe(415)
    }
    // (DELETE /api/session, sign-out, sits before this check; a browser cannot send a cross-site
    // DELETE without a preflight we never grant, and the SameSite cookie would not go with it.)
    // Nothing above changed the cluster; the real dashboard request does.
    const same = await change({ 'content-type': 'application/json', origin: 'http://earshot.test' })
    expect(same.status).toBe(200)
    expect((await same.json()).cluster.status).toBe('muted')
  })
})

describe('secrets never reach the logs', () => {
  it('logs nothing secret after bad sign-ins, bad tokens and bad session cookies', async () => {
    const t = await createTestApp()
    const printed: string[] = []
    const spies = (['log', 'error', 'warn', 'info', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '))
      }),
    )
    try {
      const secretPassword = 'Tr0ub4dor&3-secret-password'
      const secretToken = 'est_secretTOKENvalue1234567890abcdef'
      const secretCookie = 'ses_secretCOOKIEvalue1234567890'
      await t.app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN_EMAIL, password: secretPassword }),
      })
      await t.app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"email":"${ADMIN_EMAIL}","password":"${secretPassword}`,
      })
      await t.app.request('/api/me', { headers: { authorization: `Bearer ${secretToken}` } })
      await t.app.request('/api/me', { headers: { cookie: `earshot_session=${secretCookie}` } })
      await t.app.request('/v1/deploys', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secretToken}` },
        body: JSON.stringify({ release: 'x' }),
      })
      await t.app.request(`/status/demo?token=${secretToken}`)
      // Real server errors are logged (with the failed SQL and its parameters) — and even then
      // without the request's secrets: only hashes of tokens ever reach a query, never passwords.
      for (const table of ['sessions', 'api_tokens', 'responders'])
        await t.db.client.execute(`ALTER TABLE ${table} RENAME TO ${table}_gone`)
      const before = t.errors.length
      await t.app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN_EMAIL, password: secretPassword }),
      })
      await t.app.request('/api/me', { headers: { authorization: `Bearer ${secretToken}` } })
      await t.app.request('/api/me', { headers: { cookie: `earshot_session=${secretCookie}` } })
      await t.app.request(`/api/me?token=${secretToken}`, { headers: { cookie: `earshot_session=${secretCookie}` } })
      expect(t.errors.length).toBeGreaterThan(before) // the failures really were logged
      const everything = [...t.errors, ...printed].join('\n')
      for (const secret of [secretPassword, secretToken, secretCookie, ADMIN_PASSWORD])
        expect(everything).not.toContain(secret)
    } finally {
      for (const spy of spies) spy.mockRestore()
      t.close()
    }
  })
})

describe('secrets at rest', () => {
  it('stores passwords with PBKDF2 (≥100k rounds); sessions, API/status tokens, hook secrets never clear', async () => {
    const t = await createTestApp()
    try {
      const login = await t.app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      })
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!
      const sessionToken = cookie.split('=')[1]!
      const me = await (await t.app.request('/api/me', { headers: { cookie } })).json()
      const ws = me.workspaces[0].id as string
      const json = (path: string, body: unknown) =>
        t.app.request(path, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const apiToken = (
        await (await json(`/api/workspaces/${ws}/tokens`, { name: 'CI', scopes: ['read', 'write'] })).json()
      ).secret as string
      const hook = await (
        await json(`/api/projects/${t.seed.projectId}/webhooks`, {
          url: 'http://127.0.0.1:9/hook',
          kind: 'generic',
          events: ['surge'],
        })
      ).json()
      const statusToken = await (
        await json(`/api/projects/${t.seed.projectId}/status-tokens`, { label: 'Partner' })
      ).json()
      const secrets = [
        ADMIN_PASSWORD,
        sessionToken,
        apiToken,
        hook.secret as string,
        statusToken.secret as string,
      ].filter((s): s is string => !!s && s.length >= 12)
      expect(secrets.length).toBe(5)

      const hash = String((await t.db.client.execute('SELECT password_hash FROM responders')).rows[0]!.password_hash)
      const [scheme, iterations] = hash.split('$')
      expect(scheme).toBe('pbkdf2-sha256')
      expect(Number(iterations)).toBeGreaterThanOrEqual(100_000)

      // Scan every text column of every table for any of the secrets.
      const tables = (
        await t.db.client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      ).rows.map((r) => String(r.name))
      for (const table of tables) {
        const rows = (await t.db.client.execute(`SELECT * FROM "${table}"`)).rows
        const text = JSON.stringify(rows)
        for (const secret of secrets) expect(text.includes(secret), `${table} holds a secret in the clear`).toBe(false)
      }
    } finally {
      t.close()
    }
  })
})
