import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { declareIncident } from '../../worker/domain/incidents.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, signIn } from './support.js'

// Statuspage clients read /api/v2/summary.json from the root of a page's host, so every status
// site is also served at the root of <slug>.<STATUS_DOMAIN> and of the project's custom domain.

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
  await declareIncident(t.deps, { projectId: t.seed.projectId, title: 'Login loops back to the sign-in page', impact: 'major', message: 'We are on it.' })
})
afterEach(() => t.close())

const at = (host: string, path: string, init: RequestInit = {}) => t.app.request(`http://${host}${path}`, { ...init, headers: { host, ...(init.headers as Record<string, string>) } })

describe('host-based status pages', () => {
  it('serves the page, summary.json and feeds at the root of demo.status.localhost, with root-relative links', async () => {
    const page = await at('demo.status.localhost:8787', '/')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Login loops back to the sign-in page')
    expect(html).toContain('href="/feed.atom"')
    expect(html).toContain('action="/subscribe"')
    expect(html).not.toContain('/status/demo')
    const summary = await (await at('demo.status.localhost:8787', '/api/v2/summary.json')).json()
    expect(summary.page.url).toBe('http://demo.status.localhost:8787')
    expect(summary.incidents[0].shortlink).toMatch(/^http:\/\/demo\.status\.localhost:8787\/incidents\/inc_/)
    const rss = await at('demo.status.localhost:8787', '/feed.rss')
    expect(rss.headers.get('content-type')).toContain('application/rss+xml')
    // Pollers revalidate cheaply.
    const again = await at('demo.status.localhost:8787', '/api/v2/summary.json', { headers: { 'if-none-match': (await at('demo.status.localhost:8787', '/api/v2/summary.json')).headers.get('etag')! } })
    expect(again.status).toBe(304)
    const incidentPath = new URL(summary.incidents[0].shortlink).pathname
    expect((await at('demo.status.localhost:8787', incidentPath)).status).toBe(200)
  })

  it('answers 404 for an unknown slug, and leaves the app host alone', async () => {
    expect((await at('nope.status.localhost', '/')).status).toBe(404)
    expect((await at('localhost', '/health')).status).toBe(200)
    const path = await t.app.request('/status/demo/api/v2/summary.json')
    expect((await path.json()).page.url).toBe('http://localhost/status/demo')
  })

  it('serves a custom domain set in the project settings, refuses invalid ones, and lets it go again', async () => {
    // Not a status host yet: the request falls through to the app, which has no such API.
    expect((await at('status.acme-shop.test', '/feed.atom')).status).toBe(404)
    const auth = await signIn(t)
    const set = await api(t, auth, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, { custom_domain: 'Status.Acme-Shop.test' })
    expect(set.status).toBe(200)
    expect(set.json.status_page.custom_domain).toBe('status.acme-shop.test')
    expect(set.json.status_page.url).toBe('https://status.acme-shop.test')
    const html = await (await at('status.acme-shop.test', '/')).text()
    expect(html).toContain('Login loops back to the sign-in page')
    const summary = await (await at('status.acme-shop.test', '/api/v2/summary.json')).json()
    expect(summary.status.indicator).toBe('major')
    expect((await api(t, auth, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, { custom_domain: 'not a domain' })).status).toBe(400)
    expect((await api(t, auth, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, { custom_domain: 'x.status.localhost' })).status).toBe(400)
    // Removing it makes the host an ordinary one again.
    expect((await api(t, auth, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, { custom_domain: null })).status).toBe(200)
    expect((await at('status.acme-shop.test', '/feed.atom')).status).toBe(404)
  })
})
