import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLIC_DIR } from '../../worker/entries/node-server.js'
import { CACHE_IMMUTABLE, CACHE_REVALIDATE, CACHE_WIDGET, staticFiles } from '../../worker/entries/node-static.js'
import { declareIncident } from '../../worker/domain/incidents/incidents.js'
import { startServer, type TestServer } from '../support/server.js'

// The Node server sends widget.js, the widget's chunks, the dashboard's files and status pages
// compressed (brotli or gzip by Accept-Encoding; static files precompressed at build) with
// Cache-Control by kind, over a real socket. node:http, not fetch: fetch would decode for us.

interface Raw {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', fail)
    req.end()
  })
}
const decode = (r: Raw) =>
  r.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(r.body)
    : r.headers['content-encoding'] === 'gzip'
      ? gunzipSync(r.body)
      : r.body

let server: TestServer
const file = (path: string) => readFileSync(join(PUBLIC_DIR, path))
const chunk = (prefix: string) =>
  readdirSync(join(PUBLIC_DIR, 'widget')).find((f) => f.startsWith(prefix) && f.endsWith('.js'))!
const dashboardAsset = (ext: string) => readdirSync(join(PUBLIC_DIR, 'dashboard/assets')).find((f) => f.endsWith(ext))!

beforeAll(async () => {
  server = await startServer()
}, 60_000)
afterAll(async () => server?.close())

describe('static files (precompressed at build)', () => {
  const cases = () => [
    { path: '/widget.js', cache: CACHE_WIDGET },
    { path: `/widget/${chunk('dialog-en.')}`, cache: CACHE_IMMUTABLE },
    { path: `/widget/${chunk('dialog-zh-CN.')}`, cache: CACHE_IMMUTABLE },
    { path: `/dashboard/assets/${dashboardAsset('.js')}`, cache: CACHE_IMMUTABLE },
    { path: `/dashboard/assets/${dashboardAsset('.css')}`, cache: CACHE_IMMUTABLE },
  ]

  it('answer brotli, gzip or identity by Accept-Encoding, each decoding to the file; caching by kind', async () => {
    for (const { path, cache } of cases()) {
      const original = file(path.slice(1))
      for (const [accept, encoding] of [
        ['gzip, deflate, br, zstd', 'br'],
        ['gzip, deflate', 'gzip'],
        ['identity', undefined],
      ] as const) {
        const res = await get(`${server.url}${path}`, { 'accept-encoding': accept })
        expect(res.status, path).toBe(200)
        expect(res.headers['content-encoding'], `${path} ${accept}`).toBe(encoding)
        expect(res.headers['cache-control'], path).toBe(cache)
        expect(res.headers.vary, path).toBe('Accept-Encoding')
        expect(decode(res).equals(original), `${path} ${accept} decodes to the file`).toBe(true)
        if (encoding) expect(res.body.length, `${path} is smaller ${encoding}`).toBeLessThan(original.length * 0.6)
      }
    }
  })

  it('widget.js revalidates with its ETag: 304 without a body, the same tag whichever encoding was sent', async () => {
    const br = await get(`${server.url}/widget.js`, { 'accept-encoding': 'br' })
    const plain = await get(`${server.url}/widget.js`)
    const tag = br.headers.etag as string
    expect(tag).toMatch(/^W\/".+"$/)
    expect(plain.headers.etag).toBe(tag)
    const again = await get(`${server.url}/widget.js`, { 'accept-encoding': 'br', 'if-none-match': tag })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
    expect(again.headers.etag).toBe(tag)
    expect(again.headers['cache-control']).toBe(CACHE_WIDGET)
    const other = await get(`${server.url}/widget.js`, { 'if-none-match': 'W/"something-else"' })
    expect(other.status).toBe(200)
  })

  it("the dashboard's index (and its SPA fallback) is compressed and always revalidated", async () => {
    for (const path of ['/dashboard/', '/dashboard/clusters/some-id']) {
      const res = await get(`${server.url}${path}`, { 'accept-encoding': 'br' })
      expect(res.status, path).toBe(200)
      expect(res.headers['content-encoding'], path).toBe('br')
      expect(res.headers['cache-control'], path).toBe(CACHE_REVALIDATE)
      expect(decode(res).equals(file('dashboard/index.html')), path).toBe(true)
    }
  })
})

describe('status pages (compressed per request)', () => {
  it('come brotli or gzip with Vary: Accept-Encoding and decode to the same page as the identity answer', async () => {
    for (const n of [1, 2, 3]) {
      await declareIncident(server.deps, {
        projectId: server.projectId,
        title: n === 1 ? 'Checkout is slow' : `Incident ${n}`,
        impact: 'minor',
        message: 'We are looking into slow payments and will post again within the hour.',
      })
    }
    const identity = await get(`${server.url}/status/demo`)
    expect(identity.status).toBe(200)
    expect(identity.headers['content-encoding']).toBeUndefined()
    const html = identity.body.toString('utf8')
    expect(html).toContain('Checkout is slow')
    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip;q=1, br;q=0.5', 'gzip'],
      ['gzip', 'gzip'],
    ] as const) {
      const res = await get(`${server.url}/status/demo`, { 'accept-encoding': accept })
      expect(res.headers['content-encoding'], accept).toBe(encoding)
      expect(String(res.headers.vary)).toMatch(/Accept-Encoding/)
      expect(String(res.headers.vary)).toMatch(/Accept-Language/)
      expect(res.body.length).toBeLessThan(identity.body.length / 3)
      // The "Updated" time is the server clock's: same minute, same page.
      expect(decode(res).toString('utf8')).toBe(html)
    }
    const feed = await get(`${server.url}/status/demo/feed.atom`, { 'accept-encoding': 'br' })
    expect(feed.headers['content-encoding']).toBe('br')
    expect(decode(feed).toString('utf8')).toContain('Checkout is slow')
  })
})

describe('precompressed variants', () => {
  let dir = ''
  let url = ''
  let close = () => {}
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-static-'))
    const app = new Hono()
    app.use('*', staticFiles(dir))
    const srv = createAdaptorServer({ fetch: app.fetch })
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok))
    url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`
    close = () => srv.close()
  })
  afterAll(() => {
    close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('older than their file (rebuilt without the compress step) are never sent: the new file goes plain', async () => {
    const js = 'console.log("new build");'.repeat(40)
    writeFileSync(join(dir, 'widget.js'), js)
    writeFileSync(join(dir, 'widget.js.gz'), gzipSync('console.log("old build")'))
    const past = new Date(Date.now() - 3600_000)
    utimesSync(join(dir, 'widget.js.gz'), past, past)
    const res = await get(`${url}/widget.js`, { 'accept-encoding': 'gzip' })
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.body.toString()).toBe(js)
    // Fresh again after the compress step:
    writeFileSync(join(dir, 'widget.js.gz'), gzipSync(js))
    const fresh = await get(`${url}/widget.js`, { 'accept-encoding': 'gzip' })
    expect(fresh.headers['content-encoding']).toBe('gzip')
    expect(decode(fresh).toString()).toBe(js)
  })
})
