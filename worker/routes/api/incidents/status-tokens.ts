import { Hono } from 'hono'
import { z } from 'zod'
import type { Deps } from '../../../domain/shared/index.js'
import { statusPageUrl } from '../../../domain/incidents/index.js'
import { createStatusToken, listStatusTokens, revokeStatusToken } from '../../../domain/incidents/index.js'
import { json, noContent } from '../../../http/openapi.js'
import type { Out } from '../../../http/schemas.js'
import { StatusTokenCreated, StatusTokenInput, StatusTokenOut } from '../../../http/schemas/status-admin.js'
import { validate } from '../../../http/validate.js'
import type { ApiEnv } from '../context.js'
import { statusTokenJson } from './serialize.js'
import { adminDoc, projectOf } from './shared.js'

/** Private-view tokens of the status page, owners only (its addresses and custom domain: ../status-page.ts). */
export function statusTokenRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get(
    '/projects/:id/status-tokens',
    adminDoc('listStatusTokens', 'Tokens that open the private status page (owners)', {
      '200': json(
        z.object({ tokens: z.array(StatusTokenOut) }).meta({ id: 'StatusTokenList' }),
        'Tokens (never their secrets)',
      ),
    }),
    async (c) => {
      const project = await projectOf(deps, c, 'owner')
      const list = await listStatusTokens(deps.db.orm, project.id)
      return c.json({ tokens: list.map(statusTokenJson) } satisfies { tokens: Out<typeof StatusTokenOut>[] })
    },
  )
  app.post(
    '/projects/:id/status-tokens',
    adminDoc('createStatusToken', 'Make a private-view token (owners)', {
      '201': json(StatusTokenCreated, 'Made; the secret is shown once'),
    }),
    validate('json', StatusTokenInput),
    async (c) => {
      const project = await projectOf(deps, c, 'owner')
      const t = await createStatusToken(deps, project.id, c.req.valid('json').label)
      const url = `${await statusPageUrl(deps.db.orm, deps.config, project)}?token=${t.token}`
      const answer: Out<typeof StatusTokenCreated> = { token: statusTokenJson(t), secret: t.token, private_url: url }
      return c.json(answer, 201)
    },
  )
  app.delete(
    '/projects/:id/status-tokens/:tokenId',
    adminDoc('revokeStatusToken', 'Revoke a private-view token (owners)', { '204': noContent('Revoked') }),
    async (c) => {
      const project = await projectOf(deps, c, 'owner')
      await revokeStatusToken(deps, project.id, c.req.param('tokenId'))
      return c.body(null, 204)
    },
  )

  return app
}
