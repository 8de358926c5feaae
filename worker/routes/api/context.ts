import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { Role } from '../../db/schema/index.js'
import { authenticateApiToken } from '../../domain/access/index.js'
import { findSession, type SessionResponder } from '../../domain/access/index.js'
import type { Deps } from '../../domain/shared/index.js'
import { getProject, type Project } from '../../domain/projects/index.js'
import { ApiError } from '../../http/errors.js'
import { isCrossOrigin } from '../../http/origin.js'

export const SESSION_COOKIE = 'earshot_session'

/** Who is calling: a signed-in responder, or an API token acting in its one workspace. */
export type Principal = SessionResponder & { token?: { id: string; scopes: string[] } }
export type ApiEnv = { Variables: { responder: Principal } }

const RANK: Record<Role, number> = { viewer: 0, support: 1, responder: 2, owner: 3 }

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

export function roleIn(responder: Principal, workspaceId: string): Role | undefined {
  return responder.memberships.find((m) => m.workspaceId === workspaceId)?.role
}

export function workspaceIdsOf(responder: SessionResponder, atLeast: Role = 'viewer'): string[] {
  return responder.memberships.filter((m) => RANK[m.role] >= RANK[atLeast]).map((m) => m.workspaceId)
}

/** Throws 404 for a workspace the responder is not in (never reveal it exists), 403 for too low a role. */
export function requireRole(responder: SessionResponder, workspaceId: string, atLeast: Role) {
  const role = roleIn(responder, workspaceId)
  if (!role) throw new ApiError(404, 'not_found', 'Not found.')
  if (RANK[role] < RANK[atLeast]) throw new ApiError(403, 'forbidden', `This needs the ${atLeast} role.`)
}

/** Loads a project the responder may see (404 otherwise) and checks the role for the action. */
export async function projectFor(
  deps: Deps,
  responder: SessionResponder,
  projectId: string,
  atLeast: Role,
): Promise<Project> {
  for (const m of responder.memberships) {
    const project = await getProject(deps.db.orm, m.workspaceId, projectId)
    if (project) {
      requireRole(responder, project.workspaceId, atLeast)
      return project
    }
  }
  throw new ApiError(404, 'not_found', 'Not found.')
}
