import { Hono } from 'hono'
import { inArray } from 'drizzle-orm'
import { workspaces } from '../../db/schema/index.js'
import type { Deps } from '../../domain/deps.js'
import { listProjects } from '../../domain/projects.js'
import type { ApiEnv } from './context.js'
import { projectJson } from './serialize.js'

/** Who is signed in, and the workspaces and projects they can see. */
export function meRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()
  app.get('/me', async (c) => {
    const responder = c.get('responder')
    const ids = responder.memberships.map((m) => m.workspaceId)
    const rows = ids.length ? await deps.db.orm.select().from(workspaces).where(inArray(workspaces.id, ids)).all() : []
    const list = await Promise.all(
      rows.map(async (w) => ({
        id: w.id,
        name: w.name,
        role: responder.memberships.find((m) => m.workspaceId === w.id)!.role,
        projects: (await listProjects(deps.db.orm, w.id)).map(projectJson),
      })),
    )
    return c.json({ id: responder.id, email: responder.email, name: responder.name, workspaces: list })
  })
  return app
}
