import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { declareIncident } from '../../worker/domain/incidents/incidents.js'
import { dohTxtLookup } from '../../worker/domain/incidents/dns-txt.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { startDnsServer, type DnsServer } from '../support/dns-server.js'
import { api, signIn } from './support.js'

// Statuspage clients read /api/v2/summary.json from the root of a page's host, so every status
// site is also served at the root of <slug>.<STATUS_DOMAIN> and of the project's custom domain
// (once verified through DNS: here a real DNS-over-HTTPS server on 127.0.0.1, the Workers path).
// Absolute links always come from PUBLIC_URL or the verified domain, whatever the Host.

let t: TestApp
let dns: DnsServer
beforeEach(async () => {
  dns = await startDnsServer()
  t = await createTestApp({ config: { publicUrl: 'https://earshot.example.com' }, lookupTxt: dohTxtLookup(dns.dohUrl) })
  await declareIncident(t.deps, {
    projectId: t.seed.projectId,
    title: 'Login loops back to the sign-in page',
    impact: 'major',
    message: 'We are on it.',
  })
})
afterEach(async () => {
  t.close()
  await dns.close()
})

const at = (host: string, path: string, init: RequestInit = {}) =>
  t.app.request(`http://${host}${path}`, { ...init, headers: { host, ...(init.headers as Record<string, string>) } })

describe('host-based status pages', () => {
  it('serves the page, summary.json and feeds at the root of demo.status.localhost, links root-relative', async () => {
    const page = await at('demo.status.localhost:8787', '/')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Login loops back to the sign-in page')
    expect(html).toContain('href="/feed.atom"')
    expect(html).toContain('action="/subscribe"')
    expect(html).not.toContain('/status/demo')
    const summary = await (await at('demo.status.localhost:8787', '/api/v2/summary.json')).json()
    expect(summary.page.url).toBe('https://earshot.example.com/status/demo')
    expect(summary.incidents[0].shortlink).toMatch(/^https:\/\/earshot\.example\.com\/status\/demo\/incidents\/inc_/)
    const rss = await at('demo.status.localhost:8787', '/feed.rss')
    expect(rss.headers.get('content-type')).toContain('application/rss+xml')
    // Pollers revalidate cheaply.
    const again = await at('demo.status.localhost:8787', '/api/v2/summary.json', {
      headers: {
        'if-none-match': (await at('demo.status.localhost:8787', '/api/v2/summary.json')).headers.get('etag')!,
      },
    })
    expect(again.status).toBe(304)
    const incidentPath = new URL(summary.incidents[0].shortlink).pathname.replace('/status/demo', '')
    expect((await at('demo.status.localhost:8787', incidentPath)).status).toBe(200)
  })

  it('answers 404 for an unknown slug, and leaves the app host alone', async () => {
    expect((await at('nope.status.localhost', '/')).status).toBe(404)
    expect((await at('localhost', '/health')).status).toBe(200)
    const path = await t.app.request('/status/demo/api/v2/summary.json')
    expect((await path.json()).page.url).toBe('https://earshot.example.com/status/demo')
  })

  it('serves a custom domain once its DNS TXT record is verified, refuses invalid ones, lets it go again', async () => {
    // Not a status host yet: the request falls through to the app, which has no such API.
    expect((await at('status.acme-shop.test', '/feed.atom')).status).toBe(404)
    const auth = await signIn(t)
    const set = await api(t, auth, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, {
      custom_domain: 'Status.Acme-Shop.test',
    })
    expect(set.status).toBe(200)
    expect(set.json.status_page.custom_domain).toBe('status.acme-shop.test')
    const pending = set.json.status_page.domain_verification
    expect(pending).toMatchObject({
      status: 'pending',
      verified_at: null,
      cname_target: 'earshot.example.com',
      record: { type: 'TXT', name: '_earshot-challenge.status.acme-shop.test' },
    })
    expect(pending.record.value).toMatch(/^earshot-domain-verification=[0-9a-z]{32}$/)
    // Pending: links still use PUBLIC_URL, and the host serves nothing.
    expect(set.json.status_page.url).toBe('https://earshot.example.com/status/demo')
    expect((await at('status.acme-shop.test', '/feed.atom')).status).toBe(404)

    // No record yet, then a wrong one: 422 with what was looked for; nothing is served.
    const none = await api(t, auth, 'POST', `/api/projects/${t.seed.projectId}/status-page/verify`)
    expect(none.status).toBe(422)
    expect(none.json.error.code).toBe('domain_not_verified')
    expect(none.json.error.message).toContain('_earshot-challenge.status.acme-shop.test')
    dns.setTxt(pending.record.name, ['v=spf1 -all', 'earshot-domain-verification=not-the-token'])
    expect((await api(t, auth, 'POST', `/api/projects/${t.seed.projectId}/status-page/verify`)).status).toBe(422)
    const afterFail = await api(t, auth, 'GET', `/api/projects/${t.seed.projectId}/status-page`)
    expect(afterFail.json.status_page.domain_verification.last_error).toContain('No TXT record')
    // A resolver failure is said as such (502), not as "no record".
    dns.failNext(1)
    const failed = await api(t, auth, 'POST', `/api/projects/${t.seed.projectId}/status-page/verify`)
    expect(failed.status).toBe(502)
    expect(failed.json.error.code).toBe('dns_lookup_failed')
    expect((await at('status.acme-shop.test', '/feed.atom')).status).toBe(404)

    // The right record: verified, served, and links move to the custom domain.
    dns.setTxt(pending.record.name, ['v=spf1 -all', pending.record.value])
    const ok = await api(t, auth, 'POST', `/api/projects/${t.seed.projectId}/status-page/verify`)
    expect(ok.status).toBe(200)
    expect(ok.json.status_page.domain_verification).toMatchObject({ status: 'verified', last_error: null })
    expect(ok.json.status_page.url).toBe('https://status.acme-shop.test')
    const html = await (await at('status.acme-shop.test', '/')).text()
    expect(html).toContain('Login loops back to the sign-in page')
    const summary = await (await at('status.acme-shop.test', '/api/v2/summary.json')).json()
    expect(summary.status.indicator).toBe('major')
    expect(summary.page.url).toBe('https://status.acme-shop.test')
    // Saving the same domain again keeps the verification; invalid names are refused.
    expect(
      (
        await api(t, auth, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, {
          custom_domain: 'status.acme-shop.test',
        })
      ).json.status_page.domain_verification.status,
    ).toBe('verified')
    expect(
      (await api(t, auth, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, { custom_domain: 'not a domain' }))
        .status,
    ).toBe(400)
    const builtIn = await api(t, auth, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, {
      custom_domain: 'x.status.localhost',
    })
    expect(builtIn.status).toBe(400)
    expect(builtIn.json.error.code).toBe('domain_not_allowed')
    // Removing it makes the host an ordinary one again.
    expect(
      (await api(t, auth, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, { custom_domain: null })).status,
    ).toBe(200)
    expect((await at('status.acme-shop.test', '/feed.atom')).status).toBe(404)
  })
})
