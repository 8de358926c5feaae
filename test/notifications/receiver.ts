import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  headers: IncomingHttpHeaders
  body: string
  at: number
}

/**
 * A real HTTP receiver on 127.0.0.1:0. `answers` is the status to return per request in order
 * (the last one repeats), e.g. [500, 200] fails once and then accepts.
 */
export async function startReceiver(answers: number[] = [200]) {
  const received: Received[] = []
  const waiters: { n: number; resolve(): void }[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const status = answers[Math.min(received.length, answers.length - 1)]!
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() })
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope')
      for (const w of [...waiters]) if (received.length >= w.n) waiters.splice(waiters.indexOf(w), 1), w.resolve()
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Resolves once `n` requests have arrived (or rejects after `ms`). */
    waitFor(n: number, ms = 10_000) {
      if (received.length >= n) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${n} requests`)), ms)
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) })
      })
    },
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  }
}
