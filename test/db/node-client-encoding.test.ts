// openNodeClient asks a libSQL server on this machine or the private network for uncompressed
// answers (sqld gzips every one; inflating them cost Node ~0.3 ms per request, BENCHMARKS.md
// "Ingest"), and leaves the default for anything else. Checked on the wire: a recording proxy in
// front of a real sqld sees the header the client sent and the encoding sqld answered with.
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openNodeClient, uncompressedFetchFor } from '../../worker/db/node-client.js'
import { startSqld, type Sqld } from '../support/sqld.js'

let sqld: Sqld
let proxyUrl: string
let close: () => Promise<void>
const seen: { request: IncomingHttpHeaders; answerEncoding: string | undefined }[] = []

beforeAll(async () => {
  sqld = await startSqld()
  const target = new URL(sqld.url)
  const server = createServer((req, res) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        seen.push({ request: req.headers, answerEncoding: up.headers['content-encoding'] })
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      },
    )
    req.pipe(upstream)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => new Promise((ok) => server.close(() => ok()))
})

afterAll(async () => {
  await close?.()
  await sqld?.close()
})

describe('openNodeClient over HTTP', () => {
  it('asks a server on this machine for uncompressed answers, and gets them', async () => {
    const client = await openNodeClient(proxyUrl, sqld.authToken)
    try {
      await client.execute('CREATE TABLE t (v TEXT)')
      await client.execute({ sql: 'INSERT INTO t VALUES (?)', args: ['x'.repeat(2000)] })
      const rows = (await client.execute('SELECT v FROM t')).rows
      expect(String(rows[0]!.v)).toHaveLength(2000)
    } finally {
      client.close()
    }
    expect(seen.length).toBeGreaterThanOrEqual(3)
    for (const s of seen) {
      expect(s.request['accept-encoding']).toBe('identity')
      expect(s.answerEncoding).toBeUndefined()
    }
  })

  it('without the override sqld answers gzip (what the override saves)', async () => {
    const res = await fetch(`${proxyUrl}/v2/pipeline`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sqld.authToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }, { type: 'close' }] }),
    })
    expect(res.status).toBe(200)
    expect(seen.at(-1)!.answerEncoding).toBe('gzip')
  })

  it('keeps the default for hosts that are not near', () => {
    for (const near of [
      'http://127.0.0.1:8080',
      'http://localhost:8080',
      'http://[::1]:8080',
      'http://10.0.0.5',
      'http://192.168.1.9',
    ])
      expect(uncompressedFetchFor(near), near).toBeTypeOf('function')
    for (const far of ['libsql://db-org.turso.io', 'https://db.example.com', 'http://203.0.113.7', 'not a url'])
      expect(uncompressedFetchFor(far), far).toBeUndefined()
  })
})
