import { Hono } from 'hono'
import { z } from 'zod'
import { TOKEN_SCOPES } from '../../domain/shared/index.js'
import {
  createApiToken,
  getApiToken,
  listApiTokens,
  revokeApiToken,
  scopesOf,
  type ApiToken,
} from '../../domain/access/index.js'
import type { Deps } from '../../domain/shared/index.js'
import { iso } from '../../domain/shared/index.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { requirePerson, requireRole, type ApiEnv } from './context.js'
import { describe, error, json, noContent } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'

const TokenOut = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(TOKEN_SCOPES)),
    prefix: z.string(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' })
const TokenCreated = z
  .object({ token: TokenOut, secret: z.string().meta({ description: 'The token itself (est_…), shown once' }) })
  .meta({ id: 'ApiTokenCreated' })

const CreateInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(2),
})

const tokenJson = (t: ApiToken): Out<typeof TokenOut> => ({
  id: t.id,
  name: t.name,
  scopes: scopesOf(t),
  prefix: t.prefix,
  created_at: iso(t.createdAt)!,
  last_used_at: iso(t.lastUsedAt),
})

/** API tokens of a workspace: owners only, and only people (a token cannot mint tokens). */
export function tokenRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get(
    '/workspaces/:ws/tokens',
    describe({
      id: 'listApiTokens',
      tag: 'tokens',
      auth: 'session',
      summary: 'API tokens of a workspace (owners)',
      responses: {
        '200': json(
          z.object({ tokens: z.array(TokenOut) }).meta({ id: 'ApiTokenList' }),
          'Tokens (never their secrets)',
        ),
        '404': error('not_found'),
      },
    }),
    async (c) => {
      const responder = c.get('responder')
      requireRole(responder, c.req.param('ws'), 'owner')
      return c.json({ tokens: (await listApiTokens(deps.db.orm, c.req.param('ws'))).map(tokenJson) })
    },
  )

  app.post(
    '/workspaces/:ws/tokens',
    describe({
      id: 'createApiToken',
      tag: 'tokens',
      auth: 'person',
      summary: 'Make an API token (owners; write implies read)',
      responses: { '201': json(TokenCreated, 'Made; the secret is shown once'), '404': error('not_found') },
    }),
    validate('json', CreateInput),
    async (c) => {
      const responder = c.get('responder')
      requireRole(responder, c.req.param('ws'), 'owner')
      requirePerson(responder)
      const input = c.req.valid('json')
      const scopes = input.scopes.includes('write') ? (['read', 'write'] as const) : (['read'] as const)
      const { token, secret } = await createApiToken(deps, {
        workspaceId: c.req.param('ws'),
        name: input.name,
        scopes: [...scopes],
        createdById: responder.id,
      })
      return c.json({ token: tokenJson(token), secret } satisfies Out<typeof TokenCreated>, 201)
    },
  )

  app.delete(
    '/tokens/:id',
    describe({
      id: 'revokeApiToken',
      tag: 'tokens',
      auth: 'session',
      summary: 'Revoke an API token (owners)',
      responses: { '204': noContent('Revoked'), '404': error('not_found') },
    }),
    async (c) => {
      const responder = c.get('responder')
      const token = await getApiToken(deps.db.orm, c.req.param('id'))
      if (!token || token.revokedAt || !responder.memberships.some((m) => m.workspaceId === token.workspaceId))
        throw new ApiError(404, 'not_found', 'Not found.')
      requireRole(responder, token.workspaceId, 'owner')
      await revokeApiToken(deps, token.id)
      return c.body(null, 204)
    },
  )

  return app
}
