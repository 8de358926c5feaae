// CORS for the public API (/v1, what the widget calls). A preflight carries no key, so it is
// answered for any origin; the real request is then checked against the project's allowed origins
// (routes/public.ts). Mounted by app.ts before the body and abuse limits, so their refusals (413,
// 429) carry the CORS headers too and the widget can read why it was refused and tell the customer.
import type { MiddlewareHandler } from 'hono'

const ALLOWED_HEADERS = 'Content-Type, X-Earshot-Key, Idempotency-Key, If-None-Match, X-Earshot-Status-Token'

export const publicCors: MiddlewareHandler = async (c, next) => {
  const origin = c.req.header('origin')
  if (origin) {
    c.header('Access-Control-Allow-Origin', origin)
    c.header('Vary', 'Origin')
    c.header('Access-Control-Expose-Headers', 'ETag, Retry-After')
  }
  if (c.req.method === 'OPTIONS') {
    c.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
    c.header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
    c.header('Access-Control-Max-Age', '600')
    return c.body(null, 204)
  }
  await next()
}
