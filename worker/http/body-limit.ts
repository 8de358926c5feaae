import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { errorBody } from './errors.js'

/**
 * Refuses bodies over `maxSize` with 413. `Connection: close` because @hono/node-server closes a
 * keep-alive socket shortly after a 413, and a client's next request on it would fail.
 * A declared Content-Length over the limit is refused without reading a byte; a chunked body is
 * read only up to the limit.
 */
export const limitBody = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: (c) => {
      c.header('Connection', 'close')
      return c.json(errorBody('body_too_large', `The body is larger than ${Math.round(maxSize / 1024)} KB.`), 413)
    },
  })

/** What any request body may weigh unless its route sets a tighter limit (/v1 and status routes do). */
export const DEFAULT_BODY_LIMIT = 64 * 1024

/** A route that may carry more than the default, with the limit that bounds it instead. */
export interface BodyLimitExemption {
  method: string
  path: string
  limit: MiddlewareHandler
}

/**
 * The app-wide limit, registered before every other middleware that could read a body (the
 * sign-in limiter reads the e-mail from it): no route can be made to buffer an unbounded body.
 * A route that needs more is listed in `exemptions` with its own limit (and says so in README).
 */
export function defaultBodyLimit(exemptions: BodyLimitExemption[] = []): MiddlewareHandler {
  const byDefault = limitBody(DEFAULT_BODY_LIMIT)
  return (c, next) => {
    const exempt = exemptions.find((e) => e.method === c.req.method && e.path === c.req.path)
    return (exempt?.limit ?? byDefault)(c, next)
  }
}
