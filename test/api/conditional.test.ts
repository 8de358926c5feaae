import { afterEach, beforeEach, expect, it } from 'vitest'
import { declareIncident } from '../../worker/domain/incidents/incidents.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { signIn } from '../status/support.js'

// Every endpoint pollers revalidate answers If-None-Match with RFC 9110's weak comparison (hono's
// ETag middleware): the tag as sent, the tag weakened to W/"…" (what Cloudflare does when it
// compresses), and the tag inside a list all get a bodiless 304; a stale tag gets the body.

let t: TestApp
let cookie: Record<string, string>
beforeEach(async () => {
  t = await createTestApp({ origins: ['https://shop.example.com'] })
  await declareIncident(t.deps, {
    projectId: t.seed.projectId,
    title: 'Checkout errors',
    impact: 'major',
    message: 'Looking into it.',
  })
  cookie = await signIn(t)
})
afterEach(() => t.close())

const endpoints = () => [
  { path: `/v1/incidents?key=${t.key}`, headers: { origin: 'https://shop.example.com' } as Record<string, string> },
  { path: '/status/demo/api/v2/summary.json', headers: {} },
  { path: '/status/demo/api/v2/incidents.json', headers: {} },
  { path: '/status/demo/feed.atom', headers: {} },
  { path: '/status/demo/feed.rss', headers: {} },
  { path: 'http://demo.status.localhost/api/v2/summary.json', headers: { host: 'demo.status.localhost' } },
  { path: '/api/clusters', headers: { cookie: cookie.cookie! } },
]

it('answers 304 to the ETag as sent, weakened, or in a list — on every polled endpoint', async () => {
  for (const { path, headers } of endpoints()) {
    const first = await t.app.request(path, { headers })
    expect(first.status, path).toBe(200)
    const tag = first.headers.get('etag')!
    expect(tag, path).toMatch(/^(W\/)?"[^"]+"$/)
    const strong = tag.replace(/^W\//, '')
    for (const inm of [tag, `W/${strong}`, `"something-else", W/${strong}`, `"a",${strong}`, '*']) {
      const again = await t.app.request(path, { headers: { ...headers, 'if-none-match': inm } })
      expect(again.status, `${path} If-None-Match: ${inm}`).toBe(304)
      expect(await again.text()).toBe('')
      expect(again.headers.get('etag')).toBe(tag)
    }
    const stale = await t.app.request(path, { headers: { ...headers, 'if-none-match': 'W/"stale", "older"' } })
    expect(stale.status, path).toBe(200)
  }
})

it('keeps the CORS and caching headers on a 304, so a cross-origin poller can read it', async () => {
  const first = await t.app.request(`/v1/incidents?key=${t.key}`, { headers: { origin: 'https://shop.example.com' } })
  const again = await t.app.request(`/v1/incidents?key=${t.key}`, {
    headers: { origin: 'https://shop.example.com', 'if-none-match': `W/${first.headers.get('etag')}` },
  })
  expect(again.status).toBe(304)
  expect(again.headers.get('access-control-allow-origin')).toBe('https://shop.example.com')
  expect(again.headers.get('access-control-expose-headers')).toContain('ETag')
  expect(again.headers.get('cache-control')).toBe('no-cache')
  const summary = await t.app.request('/status/demo/api/v2/summary.json')
  const summary304 = await t.app.request('/status/demo/api/v2/summary.json', {
    headers: { 'if-none-match': summary.headers.get('etag')! },
  })
  expect(summary304.status).toBe(304)
  expect(summary304.headers.get('access-control-allow-origin')).toBe('*')
  expect(summary304.headers.get('cache-control')).toContain('max-age')
})
