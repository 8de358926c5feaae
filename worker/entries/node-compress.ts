import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

// Compression of the Node server's dynamic answers (status pages, feeds, JSON). Not in the shared
// app: on Workers, Cloudflare compresses, and a body the Worker compressed itself would be encoded
// twice. Static files are skipped (they carry Content-Length and come precompressed from the build).

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)
const TYPES = /^\s*(text\/|application\/(json|javascript|xml|atom\+xml|rss\+xml|problem\+json)|image\/svg\+xml)/i
const MIN_BYTES = 1024

/** `br` over `gzip` when both are accepted (q > 0); none when neither is. */
export function chooseEncoding(header: string | null): 'br' | 'gzip' | undefined {
  if (!header) return undefined
  const q = new Map<string, number>()
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    q.set(name!.trim(), qp ? Number(qp.slice(2)) || 0 : 1)
  }
  const of = (enc: string) => q.get(enc) ?? q.get('*') ?? 0
  if (of('br') > 0 && of('br') >= of('gzip')) return 'br'
  if (of('gzip') > 0) return 'gzip'
  return undefined
}

type Fetch = (req: Request, ...rest: any[]) => Response | Promise<Response>

export function compressResponses(fetch: Fetch): Fetch {
  return async (req, ...rest) => {
    const res = await fetch(req, ...rest)
    const type = res.headers.get('content-type') ?? ''
    if (
      !res.body ||
      req.method === 'HEAD' ||
      res.status === 204 ||
      res.status === 206 ||
      res.status === 304 ||
      !TYPES.test(type) ||
      res.headers.has('content-encoding') ||
      res.headers.has('content-length') ||
      /\bno-transform\b/i.test(res.headers.get('cache-control') ?? '')
    ) {
      return res
    }
    const headers = new Headers(res.headers)
    const vary = headers.get('vary')
    if (!vary) headers.set('Vary', 'Accept-Encoding')
    else if (vary !== '*' && !/\baccept-encoding\b/i.test(vary)) headers.set('Vary', `${vary}, Accept-Encoding`)
    const encoding = chooseEncoding(req.headers.get('accept-encoding'))
    const body = Buffer.from(await res.arrayBuffer())
    if (encoding && body.length >= MIN_BYTES) {
      // Quality 5 / level 6: most of the saving for a fraction of the time the maximum would take per request.
      const packed =
        encoding === 'br'
          ? await brotli(body, {
              params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
            })
          : await gz(body, { level: 6 })
      headers.set('Content-Encoding', encoding)
      headers.set('Content-Length', String(packed.length))
      const etag = headers.get('etag')
      if (etag && !etag.startsWith('W/')) headers.set('ETag', `W/${etag}`)
      return new Response(packed, { status: res.status, statusText: res.statusText, headers })
    }
    return new Response(body, { status: res.status, statusText: res.statusText, headers })
  }
}
