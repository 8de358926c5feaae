import { etag, RETAINED_304_HEADERS } from 'hono/etag'

/**
 * Conditional GETs for everything pollers revalidate (the widget's incidents, status JSON and
 * feeds, the dashboard's lists): hono's ETag middleware, whose If-None-Match comparison is the
 * weak one RFC 9110 asks for — `W/"…"` (Cloudflare weakens ETags when it compresses) and lists of
 * tags match too. A 304 keeps the CORS headers, so a cross-origin poller can read it.
 */
export const conditional = () =>
  etag({
    retainedHeaders: [
      ...RETAINED_304_HEADERS,
      'access-control-allow-origin',
      'access-control-expose-headers',
      'access-control-allow-credentials',
    ],
  })
