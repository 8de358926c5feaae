import type { Context } from 'hono'
import { sha256Hex } from '../../domain/auth.js'

/**
 * JSON with a weak ETag over its bytes: the dashboard polls every few seconds with If-None-Match
 * and gets 304 (no body) while nothing changed.
 */
export async function etagFor(c: Context, body: unknown) {
  const text = JSON.stringify(body)
  const etag = `W/"${(await sha256Hex(text)).slice(0, 24)}"`
  c.header('ETag', etag)
  const inm = c.req.header('if-none-match')
  if (inm && inm.split(',').some((t) => t.trim() === etag)) return c.body(null, 304)
  c.header('Content-Type', 'application/json; charset=UTF-8')
  return c.body(text, 200)
}
