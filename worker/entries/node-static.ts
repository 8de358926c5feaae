import { createHash } from 'node:crypto'
import { readFileSync, statSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { MiddlewareHandler } from 'hono'

// The Node server's static files (dist/public): sent precompressed (the .br / .gz written at
// build by scripts/precompress.ts) and with caching headers by kind of file. On Workers,
// Cloudflare's asset server does both.

/** Content-hashed names never change content: widget chunks (`dialog-en.1a2b3c4d5e.js`) and Vite's assets. */
const HASHED = /^\/(widget\/[\w-]+\.[0-9a-f]{10}\.js|dashboard\/assets\/.+)$/
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable'
/**
 * widget.js keeps its address across releases: customers' pages pick up a new one within minutes,
 * revalidating by ETag.
 */
export const CACHE_WIDGET = 'public, max-age=300, must-revalidate'
/** Everything else (the dashboard's index.html): always revalidated, so a deploy is seen at once. */
export const CACHE_REVALIDATE = 'no-cache'

export function cacheControlFor(path: string): string {
  if (HASHED.test(path)) return CACHE_IMMUTABLE
  if (path === '/widget.js') return CACHE_WIDGET
  return CACHE_REVALIDATE
}

const COMPRESSIBLE = /\.(js|mjs|css|html|json|svg|txt|xml|map|webmanifest)$/i
const stats = (path: string): Stats | undefined => {
  try {
    const s = statSync(path)
    return s.isFile() ? s : undefined
  } catch {
    return undefined
  }
}

// ETag per file content (weak: the same for the br, gzip and identity bytes of one file), kept
// while the file's size and mtime stay the same.
const etags = new Map<string, { size: number; mtimeMs: number; tag: string }>()
function etagOf(file: string, s: Stats): string {
  const known = etags.get(file)
  if (known && known.size === s.size && known.mtimeMs === s.mtimeMs) return known.tag
  const tag = `W/"${createHash('sha256').update(readFileSync(file)).digest('base64url').slice(0, 22)}"`
  if (etags.size > 2000) etags.clear()
  etags.set(file, { size: s.size, mtimeMs: s.mtimeMs, tag })
  return tag
}

const matches = (header: string | undefined, tag: string) =>
  !!header &&
  header.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === tag.replace(/^W\//, ''))

/**
 * Serves `root` with `precompressed` variants when they are at least as new as the file (a
 * rebuild without the compress step never serves old bytes), `Cache-Control` by kind, a weak
 * ETag and `304 Not Modified` on `If-None-Match`. Calls `next` when no file matches.
 */
export function staticFiles(root: string): MiddlewareHandler {
  const setHeaders = (headers: Headers, path: string, tag: string) => {
    headers.set('Cache-Control', cacheControlFor(path))
    headers.set('ETag', tag)
    // Also on the identity answer, so a shared cache never hands it to every client.
    if (COMPRESSIBLE.test(path)) headers.set('Vary', 'Accept-Encoding')
  }
  const compressed = serveStatic({ root, precompressed: true })
  const plain = serveStatic({ root })
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
    // A directory's index.html (the dashboard at /dashboard/) is looked up as that file.
    const path = c.req.path.endsWith('/') ? `${c.req.path}index.html` : c.req.path
    // Only plain file paths are looked up here; serveStatic itself refuses the rest.
    const file = /^\/[\w@./-]*$/.test(path) && !path.includes('..') ? join(root, path) : undefined
    const s = file ? stats(file) : undefined
    if (!file || !s) return plain(c, next)
    const tag = etagOf(file, s)
    if (matches(c.req.header('if-none-match'), tag)) {
      const res = new Response(null, { status: 304 })
      setHeaders(res.headers, path, tag)
      return res
    }
    const fresh = (ext: string) => {
      const v = stats(file + ext)
      return !v || v.mtimeMs >= s.mtimeMs
    }
    const serve = COMPRESSIBLE.test(path) && fresh('.br') && fresh('.gz') ? compressed : plain
    const res = await serve(c, next)
    if (res) setHeaders(res.headers, path, tag)
    return res
  }
}
