import { Hono } from 'hono'
import { z } from 'zod'
import type { Deps } from '../../../domain/shared/index.js'
import { incidentLearning, learningMarkdown, projectLearning } from '../../../domain/incidents/index.js'
import { describe, error, json } from '../../../http/openapi.js'
import { LearningOut, ProjectLearningOut } from '../../../http/schemas/incidents.js'
import type { ApiEnv } from '../context.js'
import { learningJson, projectLearningJson } from './serialize.js'
import { incidentFor, projectOf } from './shared.js'

/** What past incidents teach: one incident's figures and timeline, its post-mortem draft, a project's medians. */
export function learningRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.get(
    '/incidents/:id/learning',
    describe({
      id: 'getIncidentLearning',
      tag: 'incidents',
      auth: 'session',
      summary: 'What one incident teaches: detection and update times, reach, timeline',
      responses: {
        '200': json(z.object({ learning: LearningOut }).meta({ id: 'IncidentLearningAnswer' }), 'Learning'),
        '404': error('not_found'),
      },
    }),
    async (c) => {
      const { incident } = await incidentFor(deps, c.get('responder'), c.req.param('id'), 'viewer')
      return c.json({ learning: learningJson((await incidentLearning(deps.db.orm, incident.id))!) })
    },
  )

  app.get(
    '/incidents/:id/export.md',
    describe({
      id: 'exportIncidentMarkdown',
      tag: 'incidents',
      auth: 'session',
      summary: 'The incident’s learning as a Markdown post-mortem draft (a download)',
      responses: {
        '200': { description: 'Markdown', content: { 'text/markdown': { schema: { type: 'string' } } } },
        '404': error('not_found'),
      },
    }),
    async (c) => {
      const { incident, project } = await incidentFor(deps, c.get('responder'), c.req.param('id'), 'viewer')
      const md = learningMarkdown((await incidentLearning(deps.db.orm, incident.id))!, project.name)
      const day = incident.createdAt ? new Date(incident.createdAt).toISOString().slice(0, 10) : ''
      return c.body(md, 200, {
        'Content-Type': 'text/markdown; charset=utf-8',
        'Content-Disposition': `attachment; filename="incident-${day}-${incident.id}.md"`,
      })
    },
  )

  app.get(
    '/projects/:id/learning',
    describe({
      id: 'getProjectLearning',
      tag: 'incidents',
      auth: 'session',
      summary: 'Learning across a project’s incidents: medians and one row per incident',
      responses: { '200': json(ProjectLearningOut, 'Learning'), '404': error('not_found') },
    }),
    async (c) => {
      const project = await projectOf(deps, c, 'viewer')
      return c.json(projectLearningJson(await projectLearning(deps.db.orm, project.id)))
    },
  )

  return app
}
