import { Hono } from 'hono'
import {
  linkClusterToIncident,
  markClustersNotRelated,
  moveReports,
  renameCluster,
  reportsIn,
  similarTo,
} from '../../../domain/triage/index.js'
import type { Deps } from '../../../domain/shared/index.js'
import { getIncident } from '../../../domain/incidents/index.js'
import { ApiError } from '../../../http/errors.js'
import { describe, error, json, noContent } from '../../../http/openapi.js'
import { LinkInput, MoveInput, NotRelatedInput, RenameInput, SimilarList } from '../../../http/schemas/clusters.js'
import { validate } from '../../../http/validate.js'
import { projectFor, type ApiEnv } from '../context.js'
import { clusterJson } from '../serialize.js'
import { similarJson } from './serialize.js'
import { clusterDoc, clusterFor, clusterNow } from './shared.js'

/**
 * A responder correcting the engine: a name, clusters that look alike (merge candidates), reports
 * moved, two clusters kept apart, a cluster linked to an incident.
 */
export function clusterCorrectionRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.patch(
    '/clusters/:id',
    clusterDoc(
      'renameCluster',
      'Name the cluster (the engine never retitles a named one); null gives the title back to the engine',
      'invalid_body, merged_cluster',
    ),
    validate('json', RenameInput),
    async (c) => {
      const cluster = await clusterFor(deps, c.get('responder'), c.req.param('id'), 'responder')
      if (cluster.mergedIntoId)
        throw new ApiError(400, 'merged_cluster', 'That cluster was merged; rename the one it was merged into.')
      await renameCluster(deps, cluster.id, c.req.valid('json').title)
      return c.json({ cluster: clusterJson(await clusterNow(deps, cluster.id)) })
    },
  )

  app.get(
    '/clusters/:id/similar',
    describe({
      id: 'similarClusters',
      tag: 'clusters',
      auth: 'session',
      summary: 'Clusters of the same project that look like this one (merge candidates)',
      responses: { '200': json(SimilarList, 'Most similar first'), '404': error('not_found') },
    }),
    async (c) => {
      const cluster = await clusterFor(deps, c.get('responder'), c.req.param('id'), 'viewer')
      return c.json(similarJson(await similarTo(deps.db.orm, cluster.id)))
    },
  )

  app.post(
    '/clusters/:id/move',
    clusterDoc(
      'moveReports',
      'Move reports to another cluster or to a new one',
      'invalid_body, invalid_reports, different_projects, same_cluster, merged_cluster',
    ),
    validate('json', MoveInput),
    async (c) => {
      const responder = c.get('responder')
      const source = await clusterFor(deps, responder, c.req.param('id'), 'responder')
      const input = c.req.valid('json')
      const ids = await reportsIn(deps.db.orm, source.id, [...new Set(input.report_ids)])
      if (ids.length !== new Set(input.report_ids).size)
        throw new ApiError(400, 'invalid_reports', 'Every report must belong to this cluster.')
      if (input.to_cluster_id) {
        const target = await clusterFor(deps, responder, input.to_cluster_id, 'responder')
        if (target.projectId !== source.projectId)
          throw new ApiError(400, 'different_projects', 'Reports can only move within their project.')
        if (target.id === source.id) throw new ApiError(400, 'same_cluster', 'The reports are already in this cluster.')
        if (target.mergedIntoId)
          throw new ApiError(400, 'merged_cluster', 'That cluster was merged; pick the one it was merged into.')
      }
      const dest = await moveReports(
        deps,
        ids,
        { toClusterId: input.to_cluster_id, newTitle: input.new_title },
        responder.id,
      )
      return c.json({ cluster: clusterJson(await clusterNow(deps, dest)) })
    },
  )

  app.post(
    '/clusters/:id/not-related',
    describe({
      id: 'markNotRelated',
      tag: 'clusters',
      auth: 'session',
      summary: 'Tell the engine two clusters are not the same problem (they are never merged)',
      responses: {
        '204': noContent('Recorded'),
        '400': error('invalid_body, different_projects, same_cluster'),
        '404': error('not_found'),
      },
    }),
    validate('json', NotRelatedInput),
    async (c) => {
      const responder = c.get('responder')
      const cluster = await clusterFor(deps, responder, c.req.param('id'), 'responder')
      const other = await clusterFor(deps, responder, c.req.valid('json').other_id, 'responder')
      if (other.projectId !== cluster.projectId)
        throw new ApiError(400, 'different_projects', 'Both clusters must belong to the same project.')
      if (other.id === cluster.id) throw new ApiError(400, 'same_cluster', 'A cluster is always related to itself.')
      await markClustersNotRelated(deps, cluster.id, other.id, responder.id)
      return c.body(null, 204)
    },
  )

  app.post(
    '/clusters/:id/incident',
    clusterDoc(
      'linkClusterToIncident',
      'Link a cluster to an incident of the same project',
      'invalid_body, different_projects',
    ),
    validate('json', LinkInput),
    async (c) => {
      const responder = c.get('responder')
      const cluster = await clusterFor(deps, responder, c.req.param('id'), 'responder')
      const incident = await getIncident(deps.db.orm, c.req.valid('json').incident_id)
      // The same answer as projectFor gives for a foreign incident: no telling them apart.
      if (!incident) throw new ApiError(404, 'not_found', 'Not found.')
      await projectFor(deps, responder, incident.projectId, 'responder')
      if (incident.projectId !== cluster.projectId)
        throw new ApiError(400, 'different_projects', 'Link clusters to incidents of the same project.')
      await linkClusterToIncident(deps, cluster.id, incident.id)
      return c.json({ cluster: clusterJson(await clusterNow(deps, cluster.id)) })
    },
  )

  return app
}
