/**
 * A short-lived cache of JSON answers that many clients poll (the widget's `GET /v1/incidents`).
 * The Workers entry backs it with the Cache API (per Cloudflare location, a few seconds), so a
 * poll is not a database read each time; Node has no such cache (the read is local and cheap).
 * Only the body is cached: the route still sets CORS, Cache-Control and the ETag (304) per request.
 */
export interface ResponseCache {
  /** The text cached under `key`, or `compute()`'s, which is then kept for the cache's TTL. */
  text(key: string, compute: () => Promise<string>): Promise<string>
}

interface CacheLike {
  match(request: Request): Promise<Response | undefined>
  put(request: Request, response: Response): Promise<void>
}

/** The Cache API (`caches.default`) as a ResponseCache; keys become URLs on a host nobody serves. */
export function edgeResponseCache(cache: CacheLike, ttlSeconds: number): ResponseCache {
  return {
    async text(key, compute) {
      const request = new Request(`https://earshot-cache.invalid/${key}`)
      const hit = await cache.match(request).catch(() => undefined)
      if (hit) return hit.text()
      const text = await compute()
      // A failed put only means the next poll reads the database again.
      await cache
        .put(
          request,
          new Response(text, {
            headers: { 'Content-Type': 'application/json', 'Cache-Control': `public, max-age=${ttlSeconds}` },
          }),
        )
        .catch(() => {})
      return text
    },
  }
}
