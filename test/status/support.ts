import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../support/db.js'

export interface Received {
  path: string
  headers: IncomingHttpHeaders
  body: string
  json: any
}

/**
 * A real HTTP receiver on 127.0.0.1 (random port) that records every request: stands in for the
 * e-mail provider's HTTP API and for webhook endpoints. `failNext` makes the next answers 500.
 */
export async function startReceiver() {
  const received: Received[] = []
  let failures = 0
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      if (failures > 0) {
        failures--
        res.writeHead(500).end('try again')
        return
      }
      let json: unknown
      try {
        json = JSON.parse(body)
      } catch {
        json = undefined
      }
      received.push({ path: req.url ?? '/', headers: req.headers, body, json })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"ok"}')
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    received,
    failNext(n: number) {
      failures = n
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  }
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>

/** Signs in to the dashboard API; returns headers for further JSON requests. */
export async function signIn(t: TestApp): Promise<Record<string, string>> {
  const res = await t.app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  })
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!
  return { cookie, 'content-type': 'application/json' }
}

export async function api(t: TestApp, auth: Record<string, string>, method: string, path: string, body?: unknown) {
  const res = await t.app.request(path, {
    method,
    headers: auth,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, json, text, headers: res.headers }
}

/** Counts non-overlapping occurrences of `needle` in `haystack`. */
export const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1
