import { bodyLimit } from 'hono/body-limit'
import { errorBody } from './errors.js'

/**
 * Refuses bodies over `maxSize` with 413. `Connection: close` because @hono/node-server closes a
 * keep-alive socket shortly after a 413, and a client's next request on it would fail.
 */
export const limitBody = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: (c) => {
      c.header('Connection', 'close')
      return c.json(errorBody('body_too_large', `The body is larger than ${Math.round(maxSize / 1024)} KB.`), 413)
    },
  })
