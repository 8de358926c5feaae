import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Deps } from '../../../domain/shared/index.js'
import {
  createComponent,
  deleteComponent,
  getComponent,
  listComponents,
  updateComponent,
} from '../../../domain/incidents/index.js'
import { ApiError } from '../../../http/errors.js'
import { json, noContent } from '../../../http/openapi.js'
import { ComponentInput, ComponentOut, ComponentPatch } from '../../../http/schemas/status-admin.js'
import { validate } from '../../../http/validate.js'
import type { ApiEnv } from '../context.js'
import { componentJson } from './serialize.js'
import { adminDoc, projectOf } from './shared.js'

/** A project's status-page components: viewers list them, responders change them. */
export function componentRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get(
    '/projects/:id/components',
    adminDoc('listComponents', 'A project’s status-page components', {
      '200': json(z.object({ components: z.array(ComponentOut) }).meta({ id: 'ComponentList' }), 'Components'),
    }),
    async (c) => {
      const project = await projectOf(deps, c, 'viewer')
      return c.json({ components: (await listComponents(deps.db.orm, project.id)).map(componentJson) })
    },
  )
  app.post(
    '/projects/:id/components',
    adminDoc('createComponent', 'Add a component', {
      '201': json(z.object({ component: ComponentOut }).meta({ id: 'ComponentAnswer' }), 'Added'),
    }),
    validate('json', ComponentInput),
    async (c) => {
      const project = await projectOf(deps, c, 'responder')
      const component = await createComponent(deps, project.id, c.req.valid('json'))
      return c.json({ component: componentJson(component) }, 201)
    },
  )
  async function componentOf(c: Context<ApiEnv>) {
    const project = await projectOf(deps, c, 'responder')
    const component = await getComponent(deps.db.orm, project.id, c.req.param('componentId')!)
    if (!component) throw new ApiError(404, 'not_found', 'Not found.')
    return { project, component }
  }
  app.patch(
    '/projects/:id/components/:componentId',
    adminDoc('updateComponent', 'Rename, describe, reorder a component or set its baseline status', {
      '200': json(z.object({ component: ComponentOut }), 'Changed'),
    }),
    validate('json', ComponentPatch),
    async (c) => {
      const { project, component } = await componentOf(c)
      await updateComponent(deps, project.id, component.id, c.req.valid('json'))
      return c.json({ component: componentJson((await getComponent(deps.db.orm, project.id, component.id))!) })
    },
  )
  app.delete(
    '/projects/:id/components/:componentId',
    adminDoc('deleteComponent', 'Remove a component', { '204': noContent('Removed') }),
    async (c) => {
      const { project, component } = await componentOf(c)
      await deleteComponent(deps, project.id, component.id)
      return c.body(null, 204)
    },
  )

  return app
}
