// Issue 11, item 5: one unauthenticated request must not be able to make the process read (and
// hold) an unbounded body. Every route gets a size limit before anything reads the body, the
// sign-in limiter included, answered 413 in the API's JSON error shape with `Connection: close`.
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/db.js'
import { startServer, type TestServer } from '../support/server.js'

const MB = 1024 * 1024

interface Flood {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  /** Bytes this client managed to write before the server answered (or closed). */
  sent: number
}

/**
 * Streams a body of up to `total` bytes (JSON-looking: a sign-in whose password never ends) and
 * stops writing as soon as the server answers. `declare` sends Content-Length; otherwise chunked.
 */
function flood(url: string, total: number, declare: boolean): Promise<Flood> {
  return new Promise((resolve, reject) => {
    const head = Buffer.from('{"email":"victim@example.com","password":"')
    const chunk = Buffer.alloc(256 * 1024, 'x')
    let sent = 0
    let answered = false
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (declare) headers['content-length'] = String(total)
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      answered = true
      const parts: Buffer[] = []
      res.on('data', (b: Buffer) => parts.push(b))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(parts).toString('utf8'),
          sent,
        }),
      )
      res.on('error', reject)
    })
    // The server may close the socket while we are still writing: that is the point, not a failure.
    req.on('error', (e) => {
      if (!answered) reject(e)
    })
    const pump = () => {
      while (!answered && !req.destroyed && sent < total) {
        const piece = sent === 0 ? head : chunk.subarray(0, Math.min(chunk.length, total - sent))
        sent += piece.length
        if (!req.write(piece)) return void req.once('drain', pump)
      }
      if (!answered && sent >= total) req.end()
    }
    pump()
  })
}

describe('body limits on the real Node server', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startServer()
  })
  afterAll(() => s.close())

  it('answers a 200 MB sign-in with 413 without reading it, and the process stays small', async () => {
    const before = process.memoryUsage().rss
    const res = await flood(`${s.url}/api/session`, 200 * MB, true)
    const grown = process.memoryUsage().rss - before
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).error.code).toBe('body_too_large')
    expect(res.headers.connection).toBe('close')
    // Answered from the declared length: what got written is at most what socket buffers hold.
    expect(res.sent).toBeLessThan(32 * MB)
    expect(grown).toBeLessThan(100 * MB)
    // The server is still there and still signs people in.
    expect((await fetch(`${s.url}/health`)).status).toBe(200)
  })

  it('stops a chunked body (no Content-Length) once it passes the limit', async () => {
    const before = process.memoryUsage().rss
    const res = await flood(`${s.url}/api/session`, 200 * MB, false)
    const grown = process.memoryUsage().rss - before
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'body_too_large' })
    expect(res.sent).toBeLessThan(32 * MB)
    expect(grown).toBeLessThan(100 * MB)
  })

  it('keeps the next request on a fresh connection working after a 413', async () => {
    const big = await fetch(`${s.url}/api/invitations/by-token/inv_x/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'x'.repeat(100_000) }),
    })
    expect(big.status).toBe(413)
    expect(big.headers.get('connection')).toBe('close')
    const next = await fetch(`${s.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong' }),
    })
    expect(next.status).toBe(401)
  })
})

describe('body limits on every route (app.request)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.close())

  const justOver = JSON.stringify({ pad: 'x'.repeat(64 * 1024) })

  it('refuses a body over 64 KB on every /api write route, signed in or not, before anything else runs', async () => {
    const routes = [
      ...new Set(
        t.app.routes
          .filter((r) => r.path.startsWith('/api/') && !['GET', 'HEAD', 'ALL'].includes(r.method))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ]
    expect(routes.length).toBeGreaterThan(30)
    const wrong: string[] = []
    for (const route of routes) {
      const [method, pattern] = route.split(' ') as [string, string]
      const path = pattern.replace(/:[A-Za-z]+/g, 'x1')
      const res = await t.app.request(path, {
        method,
        headers: { 'content-type': 'application/json', 'content-length': String(justOver.length) },
        body: justOver,
      })
      const body = await res.json().catch(() => undefined)
      if (res.status !== 413 || body?.error?.code !== 'body_too_large' || res.headers.get('connection') !== 'close')
        wrong.push(`${route}: ${res.status} ${JSON.stringify(body)}`)
    }
    expect(wrong).toEqual([])
  })

  it('refuses oversized bodies on the other routes too (public API, status pages, unknown paths)', async () => {
    const paths = ['/v1/reports', '/v1/deploys', '/status/demo/subscribe', '/', '/no-such-route', '/dashboard/login']
    for (const path of paths) {
      const res = await t.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(justOver.length) },
        body: justOver,
      })
      expect([path, res.status]).toEqual([path, 413])
      expect((await res.json()).error.code).toBe('body_too_large')
    }
  })

  it('still accepts ordinary bodies under the limit', async () => {
    const res = await t.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'x'.repeat(1000) }),
    })
    expect(res.status).toBe(401)
  })
})
