import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { createSession, deleteSession, findSession } from '../../domain/access/index.js'
import { acceptInvitationAs, claimInvitation, findInvitation } from '../../domain/access/index.js'
import { signIn } from '../../domain/access/index.js'
import { iso } from '../../domain/shared/index.js'
import type { Deps } from '../../domain/shared/index.js'
import { ApiError } from '../../http/errors.js'
import { isCrossOrigin, isHttps } from '../../http/origin.js'
import { parseWith, validate } from '../../http/validate.js'
import { SESSION_COOKIE } from './context.js'
import { resolver } from 'hono-openapi'
import { describe, error, json, noContent } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'
import { ROLE } from '../../http/schemas/answers.js'

const SignedIn = z.object({ id: z.string(), email: z.string(), name: z.string() }).meta({ id: 'SignedIn' })
const InvitationInfo = z
  .object({ workspace_name: z.string(), role: ROLE, email: z.string().nullable(), expires_at: z.string() })
  .meta({ id: 'InvitationInfo' })
const Joined = z.object({ workspace_id: z.string(), role: ROLE }).meta({ id: 'InvitationJoined' })
const SignInNext = z.object({ next: z.literal('sign_in') }).meta({ id: 'InvitationClaimed' })

/** Signed out: a new person's account request (the account is made at their sign-in). */
const ClaimInput = z.strictObject({
  email: z.email().max(320).optional(),
  name: z.string().trim().max(100).optional(),
  password: z.string().min(1).max(1024),
})
/** Signed in: nothing to send — above all no password; the session says who joins. */
const JoinInput = z.strictObject({})
const LoginInput = z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(1024) })

/** Sign-in and sign-out; the only /api routes reachable without a session. */
export function sessionRoutes(deps: Deps) {
  const app = new Hono()
  // Login CSRF: another site must not sign a visitor in as its own account (they would then
  // file reports or read data under the attacker's workspace); same checks as every /api write.
  app.post(
    '/session',
    describe({
      id: 'signIn',
      tag: 'session',
      auth: 'open',
      summary: 'Sign in: sets the session cookie',
      responses: {
        '200': json(SignedIn, 'Signed in; the earshot_session cookie is set'),
        '401': error('invalid_credentials'),
        '403': error('cross_origin'),
      },
    }),
    (c, next) => {
      if (isCrossOrigin(c, deps.config))
        throw new ApiError(403, 'cross_origin', 'Cross-origin requests are not allowed.')
      return next()
    },
    validate('json', LoginInput),
    async (c) => {
      const { email, password } = c.req.valid('json')
      const responder = await signIn(deps, email, password)
      if (!responder) throw new ApiError(401, 'invalid_credentials', 'Wrong e-mail or password.')
      await startSession(c, responder.id)
      return c.json({ id: responder.id, email: responder.email, name: responder.name } satisfies Out<typeof SignedIn>)
    },
  )
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

  // Invitation links: readable without a session (the invitee may have no account yet).
  app.get(
    '/invitations/by-token/:token',
    describe({
      id: 'getInvitationByToken',
      tag: 'session',
      auth: 'open',
      summary: 'What an invitation link invites to (no session needed)',
      responses: {
        '200': json(InvitationInfo, 'The invitation'),
        '404': error('invitation_invalid: invalid, used or expired'),
      },
    }),
    async (c) => {
      const found = await findInvitation(deps, c.req.param('token'))
      if (!found) throw new ApiError(404, 'invitation_invalid', 'This invitation link is invalid, used or expired.')
      return c.json({
        workspace_name: found.workspaceName,
        role: found.invitation.role,
        email: found.invitation.email,
        expires_at: iso(found.invitation.expiresAt)!,
      } satisfies Out<typeof InvitationInfo>)
    },
  )
  /**
   * Signed in → that account joins (200 { workspace_id, role }). Signed out → a new person's
   * account request is kept until they sign in (202 { next: "sign_in" }): the same answer whether
   * or not the e-mail has an account, and never a session. Rate-limited with sign-in.
   */
  app.post(
    '/invitations/by-token/:token/accept',
    describe({
      id: 'acceptInvitation',
      tag: 'session',
      auth: 'open',
      summary: 'Accept an invitation: signed in, this account joins; signed out, a new account is requested',
      description:
        'Signed in: send `{}`. Signed out: `{ email?, name?, password }`; the account is made when the ' +
        'person signs in with it. The answer is the same whether or not the e-mail has an account.',
      requestBody: {
        required: false,
        content: { 'application/json': { schema: resolver(z.union([JoinInput, ClaimInput])) } },
      },
      responses: {
        '200': json(Joined, 'Signed in: joined'),
        '202': json(SignInNext, 'Signed out: the account request is kept until the person signs in'),
        '400': error('invalid_json, invalid_body'),
        '403': error('cross_origin'),
        '404': error('invitation_invalid'),
        '415': error('unsupported_media_type'),
      },
    }),
    async (c) => {
      if (isCrossOrigin(c, deps.config))
        throw new ApiError(403, 'cross_origin', 'Cross-origin requests are not allowed.')
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim()
      if (c.req.header('content-length') !== '0' && type !== 'application/json')
        throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.')
      const token = c.req.param('token')
      const text = await c.req.text()
      let body: unknown = {}
      try {
        if (text.trim()) body = JSON.parse(text)
      } catch {
        throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.')
      }
      const cookie = getCookie(c, SESSION_COOKIE)
      const me = cookie ? await findSession(deps, cookie) : undefined
      if (me) {
        parseWith(JoinInput, body)
        const joined = await acceptInvitationAs(deps, token, me)
        return c.json({ workspace_id: joined.workspaceId, role: joined.role } satisfies Out<typeof Joined>)
      }
      await claimInvitation(deps, token, parseWith(ClaimInput, body))
      return c.json({ next: 'sign_in' } satisfies Out<typeof SignInNext>, 202)
    },
  )
  app.delete(
    '/session',
    describe({
      id: 'signOut',
      tag: 'session',
      auth: 'open',
      summary: 'Sign out: ends this session and clears the cookie',
      responses: { '204': noContent('Signed out') },
    }),
    async (c) => {
      const token = getCookie(c, SESSION_COOKIE)
      if (token) await deleteSession(deps, token)
      deleteCookie(c, SESSION_COOKIE, { path: '/' })
      return c.body(null, 204)
    },
  )
  return app
}
