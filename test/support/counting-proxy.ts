// An HTTP proxy in front of a libSQL server (sqld) that records every request it forwards: how
// many requests a Worker really makes to the database, counted at the database's door.
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ProxiedRequest {
  /** When the request arrived (ms, Date.now()). */
  at: number
  method: string
  path: string
  /** The request body (Hrana JSON: the statements it carries). */
  body: string
}

export interface CountingProxy {
  /** `http://127.0.0.1:PORT`: give it to the Worker as LIBSQL_URL. */
  url: string
  requests: ProxiedRequest[]
  /** Resolves once no request has arrived for `quietMs` (the database is left alone). */
  quiet(quietMs?: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target)
  const requests: ProxiedRequest[] = []
  let last = Date.now()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      last = Date.now()
      requests.push({ at: last, method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') })
      const headers = { ...req.headers, host: to.host, 'content-length': String(body.length) }
      const upstream = httpRequest(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers)
          up.pipe(res)
        },
      )
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502)
        res.end()
      })
      upstream.end(body)
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async quiet(quietMs = 1500, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() - last < quietMs) {
        if (Date.now() > deadline) throw new Error(`the database proxy never went quiet for ${quietMs} ms`)
        await new Promise((ok) => setTimeout(ok, 100))
      }
    },
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  }
}
