import { Hono } from 'hono'
import { resolver } from 'hono-openapi'
import { authenticateApiToken } from '../domain/access/index.js'
import type { Deps } from '../domain/shared/index.js'
import { iso } from '../domain/shared/index.js'
import { listProjects, type Project } from '../domain/projects/index.js'
import { recordDeploy } from '../domain/surge/index.js'
import { limitBody } from '../http/body-limit.js'
import { ApiError } from '../http/errors.js'
import { describe, error, json } from '../http/openapi.js'
import { DeployInput, DeployOut, type Out } from '../http/schemas.js'
import { parseWith, readJsonBody } from '../http/validate.js'

/**
 * `POST /v1/deploys` — deploy markers from CI, authenticated with an API token (`Authorization:
 * Bearer est_…`, write scope). Surges then say which release they followed. Mounted before the
 * widget routes, which want a public project key instead.
 */
export function deployRoutes(deps: Deps) {
  const app = new Hono()
  const doc = describe({
    id: 'recordDeploy',
    tag: 'deploys',
    auth: 'writeToken',
    summary: 'Record a deploy marker (from CI)',
    description:
      'Surges then say which release they followed. `project` (id or slug) may be left out when the ' +
      'token’s workspace has one project.',
    requestBody: { required: true, content: { 'application/json': { schema: resolver(DeployInput) } } },
    responses: {
      '201': json(DeployOut, 'Recorded'),
      '400': error('invalid_json, invalid_body (e.g. several projects and none named)'),
      '404': error('project_not_found: no such project in the token’s workspace'),
      '415': error('unsupported_media_type'),
    },
  })
  app.post('/', doc, limitBody(16 * 1024), async (c) => {
    const header = c.req.header('authorization') ?? ''
    const token = header.match(/^Bearer\s+(\S+)$/i)?.[1]
    if (!token) throw new ApiError(401, 'missing_token', 'Send an API token as `Authorization: Bearer <token>`.')
    const principal = await authenticateApiToken(deps.db, token, deps.clock.now())
    if (!principal) throw new ApiError(401, 'invalid_token', 'Unknown or revoked API token.')
    if (!principal.scopes.includes('write'))
      throw new ApiError(403, 'insufficient_scope', 'This token needs the write scope.')
    const input = parseWith(DeployInput, await readJsonBody(c.req.raw, ['application/json']))
    const project = pickProject(await listProjects(deps.db.orm, principal.workspaceId), input.project)
    const deploy = await recordDeploy(deps, project.id, {
      release: input.release,
      environment: input.environment,
      url: input.url,
    })
    return c.json(
      {
        deploy: {
          id: deploy.id,
          project_id: deploy.projectId,
          release: deploy.release,
          environment: deploy.environment,
          url: deploy.url,
          created_at: iso(deploy.createdAt)!,
        },
      } satisfies Out<typeof DeployOut>,
      201,
    )
  })
  return app
}

function pickProject(projects: Project[], wanted: string | undefined): Project {
  if (wanted) {
    const found = projects.find((p) => p.id === wanted || p.slug === wanted)
    if (!found) throw new ApiError(404, 'project_not_found', 'No such project in this token’s workspace.')
    return found
  }
  if (projects.length === 1) return projects[0]!
  throw new ApiError(400, 'invalid_body', 'project: name the project (id or slug); this workspace has several.')
}
