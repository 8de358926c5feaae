import { Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { checkCredentials, createSession, deleteSession } from '../../domain/auth.js'
import type { Deps } from '../../domain/deps.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { SESSION_COOKIE } from './context.js'

const LoginInput = z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1024) })

/** Sign-in and sign-out; the only /api routes reachable without a session. */
export function sessionRoutes(deps: Deps) {
  const app = new Hono()
  app.post('/session', validate('json', LoginInput), async (c) => {
    const { email, password } = c.req.valid('json')
    const responder = await checkCredentials(deps.db.orm, email, password)
    if (!responder) throw new ApiError(401, 'invalid_credentials', 'Wrong e-mail or password.')
    const session = await createSession(deps, responder.id)
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: new URL(c.req.url).protocol === 'https:' || deps.config.environment === 'production',
      path: '/',
      expires: new Date(session.expiresAt),
    })
    return c.json({ id: responder.id, email: responder.email, name: responder.name })
  })
  app.delete('/session', async (c) => {
    const token = getCookie(c, SESSION_COOKIE)
    if (token) await deleteSession(deps, token)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })
  return app
}
