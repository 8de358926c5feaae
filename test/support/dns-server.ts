import { createSocket } from 'node:dgram'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as packet from 'dns-packet'

/**
 * A real DNS server for tests, on 127.0.0.1 (random port): answers TXT queries from a table the
 * test fills, over UDP (for Node's resolver: `dnsServers: [server.address]`) and as DNS-over-HTTPS
 * JSON (`server.dohUrl`, the Workers path). Unknown names get NXDOMAIN; `failNext` answers SERVFAIL.
 */
export async function startDnsServer() {
  const records = new Map<string, string[]>()
  let failures = 0
  const queries: string[] = []
  const answer = (name: string): { rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL'; values: string[] } => {
    queries.push(name)
    if (failures > 0) {
      failures--
      return { rcode: 'SERVFAIL', values: [] }
    }
    const values = records.get(name.toLowerCase())
    return values ? { rcode: 'NOERROR', values } : { rcode: 'NXDOMAIN', values: [] }
  }

  const udp = createSocket('udp4')
  udp.on('message', (msg, from) => {
    const query = packet.decode(msg)
    const question = query.questions?.[0]
    if (!question) return
    const { rcode, values } =
      question.type === 'TXT' ? answer(question.name) : { rcode: 'NOERROR' as const, values: [] }
    const reply = packet.encode({
      id: query.id,
      type: 'response',
      flags:
        packet.RECURSION_DESIRED |
        packet.RECURSION_AVAILABLE |
        (rcode === 'NXDOMAIN' ? 3 : rcode === 'SERVFAIL' ? 2 : 0),
      questions: [question],
      answers: values.map((v) => ({
        type: 'TXT' as const,
        class: 'IN' as const,
        name: question.name,
        ttl: 1,
        data: v,
      })),
    })
    udp.send(reply, from.port, from.address)
  })
  await new Promise<void>((ok) => udp.bind(0, '127.0.0.1', ok))

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const name = url.searchParams.get('name') ?? ''
    const { rcode, values } = answer(name)
    res.writeHead(200, { 'content-type': 'application/dns-json' })
    res.end(
      JSON.stringify({
        Status: rcode === 'NOERROR' ? 0 : rcode === 'NXDOMAIN' ? 3 : 2,
        Question: [{ name, type: 16 }],
        Answer: values.map((v) => ({ name, type: 16, TTL: 1, data: `"${v.replace(/(["\\])/g, '\\$1')}"` })),
      }),
    )
  })
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok))

  return {
    /** For `new Resolver().setServers([...])`: `127.0.0.1:<port>`. */
    address: `127.0.0.1:${(udp.address() as AddressInfo).port}`,
    dohUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/dns-query`,
    queries,
    setTxt(name: string, values: string[]) {
      records.set(name.toLowerCase(), values)
    },
    failNext(n: number) {
      failures = n
    },
    async close() {
      await new Promise<void>((ok) => udp.close(() => ok()))
      await new Promise<void>((ok) => http.close(() => ok()))
    },
  }
}
export type DnsServer = Awaited<ReturnType<typeof startDnsServer>>
