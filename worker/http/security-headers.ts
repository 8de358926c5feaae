import type { MiddlewareHandler } from 'hono'

/**
 * Content Security Policy for every HTML page Earshot serves: the dashboard, status pages (path-
 * and host-based) and the demo page. Scripts only from this origin (no inline script anywhere),
 * inline styles allowed (the status page inlines its CSS with the project's colour, and the widget
 * on the demo page styles its shadow root), no plugins, no framing, forms only back to us.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': PAGE_CSP,
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
}

/**
 * Security headers by what a response is, decided after the route answered (a host-based status
 * page and the dashboard's static index look alike to a path rule):
 * - everything: `nosniff` and a referrer policy that never sends paths cross-origin;
 * - HTML pages: the CSP above, no framing, a separate browsing context group;
 * - over HTTPS: HSTS.
 * Deliberately NOT set: Cross-Origin-Resource-Policy / Embedder-Policy, because widget.js, its
 * chunks and /v1 are loaded cross-origin by customers' sites and must stay embeddable.
 */
export function securityHeaders(opts: { hsts?: boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    await next()
    const headers = c.res.headers
    const set = (name: string, value: string) => {
      if (!headers.has(name)) headers.set(name, value)
    }
    try {
      set('X-Content-Type-Options', 'nosniff')
      set('Referrer-Policy', 'strict-origin-when-cross-origin')
      if ((headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) {
        for (const [name, value] of Object.entries(PAGE_HEADERS)) set(name, value)
      }
      if (opts.hsts || new URL(c.req.url).protocol === 'https:')
        set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    } catch {
      // Immutable headers (a Response passed through from fetch, e.g. Workers assets): copy it.
      c.res = new Response(c.res.body, c.res)
      await securityHeaders(opts)(c, async () => {})
    }
  }
}
