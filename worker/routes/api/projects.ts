import { Hono } from 'hono'
import { z } from 'zod'
import type { Deps } from '../../domain/shared/index.js'
import { addProject, changeProject, rotateProjectKey } from '../../domain/projects/index.js'
import { validate } from '../../http/validate.js'
import { projectFor, requireRole, type ApiEnv } from './context.js'
import { ProjectSettingsInput } from './project-settings.js'
import { projectJson } from './serialize.js'
import { describe, error, json } from '../../http/openapi.js'
import { ProjectAnswer } from '../../http/schemas/answers.js'

/**
 * An allowed origin. A pasted page address (https://app.example.com/settings?x=1) is cut to its
 * origin, which is all the browser sends; anything else is refused naming the entry and why.
 */
const origin = z
  .string()
  .trim()
  .max(300)
  .transform((o, ctx) => {
    if (o === '*') return o
    const why = originProblem(o)
    if (why) {
      ctx.addIssue({
        code: 'custom',
        message:
          `“${o}” is not an origin: ${why}. Origins look like https://app.example.com (scheme, host, ` +
          `optional port).`,
      })
      return z.NEVER
    }
    return new URL(o).origin
  })

function originProblem(o: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(o)) return 'it needs http:// or https:// in front'
  let url: URL
  try {
    url = new URL(o)
  } catch {
    return 'it is not a valid web address'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `${url.protocol.slice(0, -1)} is not a web scheme (use http or https)`
  if (!url.hostname) return 'it has no host name'
  if (url.username || url.password) return 'it must not contain a user name or password'
  return undefined
}
const CreateInput = z.object({
  name: z.string().trim().min(1).max(100),
  slug: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  allowed_origins: z.array(origin).max(50).default([]),
  color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i)
    .optional(),
})
const UpdateInput = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i)
    .optional(),
  allowed_origins: z.array(origin).max(50).optional(),
  settings: ProjectSettingsInput.optional(),
})

/** Projects of a workspace: anyone in it reads them, owners change them. */
export function projectRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.post(
    '/workspaces/:ws/projects',
    describe({
      id: 'createProject',
      tag: 'projects',
      auth: 'session',
      summary: 'Create a project (owners)',
      responses: { '201': json(ProjectAnswer, 'Created'), '404': error('not_found'), '409': error('slug_taken') },
    }),
    validate('json', CreateInput),
    async (c) => {
      const ws = c.req.param('ws')
      requireRole(c.get('responder'), ws, 'owner')
      const input = c.req.valid('json')
      const project = await addProject(deps, {
        workspaceId: ws,
        name: input.name,
        slug: input.slug,
        allowedOrigins: input.allowed_origins,
        color: input.color,
      })
      return c.json({ project: projectJson(project) }, 201)
    },
  )

  app.get(
    '/projects/:id',
    describe({
      id: 'getProject',
      tag: 'projects',
      auth: 'session',
      summary: 'A project',
      responses: { '200': json(ProjectAnswer, 'The project'), '404': error('not_found') },
    }),
    async (c) => {
      const project = await projectFor(deps, c.get('responder'), c.req.param('id'), 'viewer')
      return c.json({ project: projectJson(project) })
    },
  )

  app.patch(
    '/projects/:id',
    describe({
      id: 'updateProject',
      tag: 'projects',
      auth: 'session',
      summary: 'Change a project’s name, colour, allowed origins or settings (owners; settings merge shallowly)',
      responses: { '200': json(ProjectAnswer, 'The changed project'), '404': error('not_found') },
    }),
    validate('json', UpdateInput),
    async (c) => {
      const project = await projectFor(deps, c.get('responder'), c.req.param('id'), 'owner')
      const input = c.req.valid('json')
      const changed = await changeProject(deps, project, {
        name: input.name,
        color: input.color,
        allowedOrigins: input.allowed_origins,
        settings: input.settings,
      })
      return c.json({ project: projectJson(changed) })
    },
  )

  app.post(
    '/projects/:id/rotate-key',
    describe({
      id: 'rotateProjectKey',
      tag: 'projects',
      auth: 'session',
      summary: 'Replace the project’s public key (owners); the old one stops working',
      responses: { '200': json(ProjectAnswer, 'The project with its new key'), '404': error('not_found') },
    }),
    async (c) => {
      const project = await projectFor(deps, c.get('responder'), c.req.param('id'), 'owner')
      return c.json({ project: projectJson(await rotateProjectKey(deps, project)) })
    },
  )

  return app
}
