// Node only (node:http, node:dns): injected by worker/entries/node-server.ts as the outbox's
// webhook fetch, never imported from worker/app.ts, so the Workers bundle stays free of it.
//
// Resolving a name to check it and then letting fetch() resolve it again leaves a gap: the name
// can answer a public address to the check and 127.0.0.1 to the connection (DNS rebinding). Here
// the one resolution IS the connection's: node:http(s) calls our `lookup`, which refuses when any
// address is not public and otherwise hands exactly the checked addresses to the socket. TLS is
// still verified against the host name.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Config } from '../config.js'
import {
  allowsPrivateTargets,
  hostIsAddress,
  isPublicAddress,
  UnsafeTargetError,
} from '../domain/notifications/index.js'

/** Resolves a host name to every address (tests pass their own to play a rebinding DNS server). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>

const systemResolve: Resolve = (hostname) =>
  new Promise((ok, fail) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? fail(error) : ok(addresses))),
  )

/** Webhook receivers answer with a status; their body is not needed beyond this. */
const MAX_BODY = 64 * 1024
const NULL_BODY_STATUS = new Set([101, 204, 205, 304])

export interface NodeWebhookFetchOptions {
  resolve?: Resolve
}

/** A `fetch` for webhook deliveries that connects only to the addresses it checked. */
export function nodeWebhookFetch(
  config: Pick<Config, 'environment'>,
  opts: NodeWebhookFetchOptions = {},
): typeof fetch {
  const resolve = opts.resolve ?? systemResolve
  const allowPrivate = allowsPrivateTargets(config)

  type LookupCallback = (
    error: NodeJS.ErrnoException | null,
    address: string | LookupAddress[],
    family?: number,
  ) => void
  const lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0)
          return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), [])
        if (!allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) {
          return callback(new UnsafeTargetError(`${hostname} resolves to a private address`), [])
        }
        const wanted =
          options.family === 4 || options.family === 6
            ? addresses.filter((a) => a.family === options.family)
            : addresses
        if (options.all) return callback(null, wanted)
        const first = wanted[0]
        if (!first)
          return callback(
            Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }),
            [],
          )
        callback(null, first.address, first.family)
      },
      (error) => callback(error, []),
    )
  }

  return (async (input: Parameters<typeof fetch>[0], init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new UnsafeTargetError('only http(s) URLs can receive webhooks')
    // A literal address is never looked up: check it here (checkTargetUrl did too, this is the connection's own check).
    if (!allowPrivate && hostIsAddress(url.hostname) && !isPublicAddress(url.hostname)) {
      throw new UnsafeTargetError('private, loopback and internal addresses cannot receive webhooks')
    }
    const headers: Record<string, string> = {}
    new Headers(init.headers).forEach((value, key) => (headers[key] = value))
    const body =
      init.body == null ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(init.body as ArrayBuffer)
    const signal = init.signal ?? undefined
    signal?.throwIfAborted()
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest

    return new Promise<Response>((ok, fail) => {
      // agent: false — a pooled socket could have been opened to an address resolved earlier.
      const req = send(url, { method: init.method ?? 'GET', headers, lookup: lookup as never, agent: false })
      const abort = () => req.destroy(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'))
      signal?.addEventListener('abort', abort, { once: true })
      const done = () => signal?.removeEventListener('abort', abort)
      req.on('error', (error) => (done(), fail(signal?.aborted ? signal.reason : error)))
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size <= MAX_BODY) chunks.push(chunk)
          else res.destroy() // enough: nobody reads a receiver's essay
        })
        const finish = () => {
          done()
          const status = res.statusCode ?? 0
          if (status < 200 || status > 599) return fail(new Error(`invalid HTTP status ${status}`))
          const out = new Headers()
          for (const [key, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(key, v)
          }
          ok(new Response(NULL_BODY_STATUS.has(status) ? null : Buffer.concat(chunks), { status, headers: out }))
        }
        res.on('end', finish)
        res.on('close', () => (res.complete ? undefined : finish()))
        res.on('error', () => {})
      })
      req.end(body)
    })
  }) as typeof fetch
}
