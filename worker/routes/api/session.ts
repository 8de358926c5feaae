import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { checkCredentials, createSession, deleteSession } from '../../domain/auth.js'
import { acceptInvitation, findInvitation } from '../../domain/members.js'
import { iso } from '../../domain/json.js'
import type { Deps } from '../../domain/deps.js'
import { ApiError } from '../../http/errors.js'
import { isCrossOrigin, isHttps } from '../../http/origin.js'
import { validate } from '../../http/validate.js'
import { SESSION_COOKIE } from './context.js'

const AcceptInput = z.object({ email: z.string().trim().max(320).optional(), name: z.string().trim().max(100).optional(), password: z.string().min(1).max(1024) })
const LoginInput = z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1024) })

/** Sign-in and sign-out; the only /api routes reachable without a session. */
export function sessionRoutes(deps: Deps) {
  const app = new Hono()
  app.post('/session', validate('json', LoginInput), async (c) => {
    const { email, password } = c.req.valid('json')
    const responder = await checkCredentials(deps.db.orm, email, password)
    if (!responder) throw new ApiError(401, 'invalid_credentials', 'Wrong e-mail or password.')
    await startSession(c, responder.id)
    return c.json({ id: responder.id, email: responder.email, name: responder.name })
  })
  async function startSession(c: Context, responderId: string) {
    const session = await createSession(deps, responderId)
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: isHttps(c, deps.config) || deps.config.environment === 'production',
      path: '/',
      expires: new Date(session.expiresAt),
    })
  }

  // Invitation links: readable without a session (the invitee has no account yet).
  app.get('/invitations/by-token/:token', async (c) => {
    const found = await findInvitation(deps, c.req.param('token'))
    if (!found) throw new ApiError(404, 'invitation_invalid', 'This invitation link is invalid, used or expired.')
    return c.json({ workspace_name: found.workspaceName, role: found.invitation.role, email: found.invitation.email, expires_at: iso(found.invitation.expiresAt) })
  })
  app.post('/invitations/by-token/:token/accept', validate('json', AcceptInput), async (c) => {
    if (isCrossOrigin(c, deps.config)) throw new ApiError(403, 'cross_origin', 'Cross-origin requests are not allowed.')
    const responderId = await acceptInvitation(deps, c.req.param('token'), c.req.valid('json'))
    await startSession(c, responderId)
    return c.json({ id: responderId }, 201)
  })
  app.delete('/session', async (c) => {
    const token = getCookie(c, SESSION_COOKIE)
    if (token) await deleteSession(deps, token)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })
  return app
}
