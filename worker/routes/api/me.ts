import { Hono } from 'hono'
import type { Deps } from '../../domain/shared/index.js'
import { listProjects, listWorkspaces } from '../../domain/projects/index.js'
import { getCookie, deleteCookie } from 'hono/cookie'
import { z } from 'zod'
import { deleteAllSessions } from '../../domain/access/index.js'
import { sha256Hex } from '../../domain/shared/index.js'
import { changePassword } from '../../domain/access/index.js'
import { validate } from '../../http/validate.js'
import { requirePerson, SESSION_COOKIE, type ApiEnv } from './context.js'
import { projectJson } from './serialize.js'
import { describe, json, noContent, error } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'
import { ProjectOut, ROLE } from '../../http/schemas/answers.js'

export const WorkspaceOut = z
  .object({ id: z.string(), name: z.string(), role: ROLE, projects: z.array(ProjectOut) })
  .meta({ id: 'Workspace' })
const MeOut = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    workspaces: z.array(WorkspaceOut),
    via_token: z.boolean().meta({ description: 'The caller is an API token, not a person' }),
  })
  .meta({ id: 'Me' })

const PasswordInput = z.object({
  current_password: z.string().min(1).max(1024),
  new_password: z.string().min(1).max(1024),
})

/** Who is signed in, and the workspaces and projects they can see. */
export function meRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  app.get(
    '/me',
    describe({
      id: 'getMe',
      tag: 'account',
      auth: 'session',
      summary: 'Who is calling, with the workspaces and projects they can see',
      responses: { '200': json(MeOut, 'The caller') },
    }),
    async (c) => {
      const responder = c.get('responder')
      const ids = responder.memberships.map((m) => m.workspaceId)
      const rows = await listWorkspaces(deps.db.orm, ids)
      const list = await Promise.all(
        rows.map(async (w) => ({
          id: w.id,
          name: w.name,
          role: responder.memberships.find((m) => m.workspaceId === w.id)!.role,
          projects: (await listProjects(deps.db.orm, w.id)).map(projectJson),
        })),
      )
      return c.json({
        id: responder.id,
        email: responder.email,
        name: responder.name,
        workspaces: list,
        via_token: !!responder.token,
      } satisfies Out<typeof MeOut>)
    },
  )

  /** New password; every other session of this responder ends (this one stays signed in). */
  app.post(
    '/me/password',
    describe({
      id: 'changePassword',
      tag: 'account',
      auth: 'person',
      summary: 'Change the password; every other session ends',
      responses: { '204': noContent('Changed'), '400': error('invalid_body, wrong_password, weak_password') },
    }),
    validate('json', PasswordInput),
    async (c) => {
      const responder = c.get('responder')
      requirePerson(responder)
      const input = c.req.valid('json')
      const current = getCookie(c, SESSION_COOKIE)
      await changePassword(
        deps,
        responder.id,
        input.current_password,
        input.new_password,
        current ? sha256Hex(current) : undefined,
      )
      return c.body(null, 204)
    },
  )

  /** "Sign out everywhere": ends every session of this responder, this one included. */
  app.post(
    '/me/sessions/revoke',
    describe({
      id: 'signOutEverywhere',
      tag: 'account',
      auth: 'person',
      summary: 'Sign out everywhere: every session of this person ends, this one included',
      responses: { '204': noContent('Signed out everywhere') },
    }),
    async (c) => {
      const responder = c.get('responder')
      requirePerson(responder)
      await deleteAllSessions(deps, responder.id)
      deleteCookie(c, SESSION_COOKIE, { path: '/' })
      return c.body(null, 204)
    },
  )
  return app
}
