import { Hono } from 'hono'
import { z } from 'zod'
import { TOKEN_SCOPES } from '../../domain/vocabulary.js'
import { createApiToken, getApiToken, listApiTokens, revokeApiToken, scopesOf, type ApiToken } from '../../domain/api-tokens.js'
import type { Deps } from '../../domain/deps.js'
import { iso } from '../../domain/json.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { requirePerson, requireRole, type ApiEnv } from './context.js'

const CreateInput = z.object({ name: z.string().trim().min(1).max(100), scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(2) })

const tokenJson = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  scopes: scopesOf(t),
  prefix: t.prefix,
  created_at: iso(t.createdAt),
  last_used_at: iso(t.lastUsedAt),
})

/** API tokens of a workspace: owners only, and only people (a token cannot mint tokens). */
export function tokenRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get('/workspaces/:ws/tokens', async (c) => {
    const responder = c.get('responder')
    requireRole(responder, c.req.param('ws'), 'owner')
    return c.json({ tokens: (await listApiTokens(deps.db.orm, c.req.param('ws'))).map(tokenJson) })
  })

  app.post('/workspaces/:ws/tokens', validate('json', CreateInput), async (c) => {
    const responder = c.get('responder')
    requireRole(responder, c.req.param('ws'), 'owner')
    requirePerson(responder)
    const input = c.req.valid('json')
    const scopes = input.scopes.includes('write') ? (['read', 'write'] as const) : (['read'] as const)
    const { token, secret } = await createApiToken(deps, { workspaceId: c.req.param('ws'), name: input.name, scopes: [...scopes], createdById: responder.id })
    return c.json({ token: tokenJson(token), secret }, 201)
  })

  app.delete('/tokens/:id', async (c) => {
    const responder = c.get('responder')
    const token = await getApiToken(deps.db.orm, c.req.param('id'))
    if (!token || token.revokedAt || !responder.memberships.some((m) => m.workspaceId === token.workspaceId)) throw new ApiError(404, 'not_found', 'Not found.')
    requireRole(responder, token.workspaceId, 'owner')
    await revokeApiToken(deps, token.id)
    return c.body(null, 204)
  })

  return app
}
