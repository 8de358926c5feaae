import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { authenticateApiToken } from '../../domain/access/index.js'
import { findSession, type SessionResponder } from '../../domain/access/index.js'

// The role rules live in the domain (access/roles.ts, projects/project-for.ts); routes use them from here.
export { requireRole, roleIn, workspaceIdsOf } from '../../domain/access/index.js'
export { projectFor } from '../../domain/projects/index.js'
import type { Deps } from '../../domain/shared/index.js'
import { ApiError } from '../../http/errors.js'
import { isCrossOrigin } from '../../http/origin.js'

export const SESSION_COOKIE = 'earshot_session'

/** Who is calling: a signed-in responder, or an API token acting in its one workspace. */
export type Principal = SessionResponder & { token?: { id: string; scopes: string[] } }
export type ApiEnv = { Variables: { responder: Principal } }

/**
 * Every /api request needs a live session. State-changing requests must also be JSON (a cross-site
 * form cannot send that without a CORS preflight we never grant) and, when the browser says where
 * it comes from, come from this same origin.
 */
export function requireSession(deps: Deps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
    if (bearer) {
      // Tokens carry no ambient cookie, so CSRF does not apply; scope decides what they may do.
      const principal = await authenticateApiToken(deps.db, bearer, deps.clock.now())
      if (!principal) throw new ApiError(401, 'invalid_token', 'This API token is unknown or revoked.')
      const write = principal.scopes.includes('write')
      if (!write && c.req.method !== 'GET' && c.req.method !== 'HEAD')
        throw new ApiError(403, 'insufficient_scope', 'This token is read-only.')
      c.set('responder', {
        id: principal.tokenId,
        email: '',
        name: 'API token',
        memberships: [{ workspaceId: principal.workspaceId, role: write ? 'responder' : 'viewer' }],
        token: { id: principal.tokenId, scopes: principal.scopes },
      })
      return next()
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      // Ours: the origin the browser used (X-Forwarded-* from a trusted proxy) or PUBLIC_URL's.
      if (isCrossOrigin(c, deps.config))
        throw new ApiError(403, 'cross_origin', 'Cross-origin requests are not allowed.')
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim()
      if (c.req.header('content-length') !== '0' && type !== 'application/json' && c.req.method !== 'DELETE') {
        throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.')
      }
    }
    const token = getCookie(c, SESSION_COOKIE)
    const responder = token ? await findSession(deps, token) : undefined
    if (!responder) throw new ApiError(401, 'not_signed_in', 'Sign in first.')
    c.set('responder', responder)
    await next()
  }
}

/** Routes that only make sense for a person (passwords, sessions, tokens themselves). */
export function requirePerson(responder: Principal) {
  if (responder.token) throw new ApiError(403, 'forbidden', 'API tokens cannot do this; sign in as a person.')
}
