// A second, separate origin that plays "the customer's product": it serves the fixture host pages
// in test/fixtures/hosts with the widget script pointing at the Earshot server (so every report
// crosses origins and exercises CORS), optional response headers (a strict CSP), and a
// reverse-proxy path /earshot/* → the Earshot server (the ad-blocker-proof setup from the README).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildWidget } from '../../widget/build.js'

const DIR = join(import.meta.dirname, '../fixtures/hosts')

export interface HostPage {
  /** Markup for <head> and the end of <body>; {{EARSHOT}} and {{KEY}} are filled in. */
  head?: string
  body: string
  headers?: Record<string, string>
}

export async function startHostServer() {
  const pages = new Map<string, HostPage>()
  let earshot = ''
  let key = ''
  const fill = (s = '') => s.replaceAll('{{EARSHOT}}', earshot).replaceAll('{{KEY}}', key)
  // The ES module (what @earshot/widget ships), built once into a folder of our own: widget/dist
  // is rebuilt by `npm pack` in test/widget/npm-package.test.ts, which may run at the same time.
  let npmDir: Promise<string> | undefined
  const npmBuild = () =>
    (npmDir ??= (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'earshot-host-npm-'))
      await buildWidget({ script: false, npmDir: dir, types: false })
      return dir
    })())

  async function proxy(req: IncomingMessage, res: ServerResponse) {
    const target = earshot + req.url!.replace(/^\/earshot/, '')
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const headers = new Headers()
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v == 'string' && !['host', 'connection'].includes(k)) headers.set(k, v)
    const upstream = await fetch(target, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    })
    const out: Record<string, string> = {}
    upstream.headers.forEach((v, k) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k)) out[k] = v
    })
    res.writeHead(upstream.status, out)
    res.end(Buffer.from(await upstream.arrayBuffer()))
  }

  const server = createServer(async (req, res) => {
    const path = new URL(req.url!, 'http://x').pathname
    try {
      if (path.startsWith('/earshot/')) return await proxy(req, res)
      if (path.startsWith('/npm/')) {
        // The ES module build, as a bundler would ship it with the product's own code.
        const file = readFileSync(join(await npmBuild(), path.slice(5).replace(/[^\w.-]/g, '')))
        res.writeHead(200, { 'content-type': 'text/javascript' })
        return res.end(file)
      }
      if (path.endsWith('.css')) {
        res.writeHead(200, { 'content-type': 'text/css' })
        return res.end(readFileSync(join(DIR, path.slice(1).replace(/[^\w.-]/g, ''))))
      }
      if (path.endsWith('.js')) {
        res.writeHead(200, { 'content-type': 'text/javascript' })
        return res.end(readFileSync(join(DIR, path.slice(1).replace(/[^\w.-]/g, ''))))
      }
      const page = pages.get(path)
      if (!page) {
        res.writeHead(404)
        return res.end('no such page')
      }
      const html = readFileSync(join(DIR, 'shop.html'), 'utf8')
        .replace('{{HEAD}}', fill(page.head))
        .replace('{{BODY}}', fill(page.body))
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers })
      res.end(html)
    } catch (error) {
      res.writeHead(502)
      res.end(String(error))
    }
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    /** Point the pages at the Earshot server once it runs (it needs our origin first, for CORS). */
    connect(url: string, publicKey: string) {
      earshot = url
      key = publicKey
    },
    page(path: string, page: HostPage) {
      pages.set(path, page)
      return origin + path
    },
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()))
      if (npmDir) rmSync(await npmDir, { recursive: true, force: true })
    },
  }
}
