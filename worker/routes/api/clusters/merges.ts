import { Hono } from 'hono'
import { UndoRefused, type MergedGroup } from '../../../domain/clustering/index.js'
import {
  getCluster,
  mergeClusterGroup,
  mergeGroupProject,
  undoMergeGroup,
  type Cluster,
} from '../../../domain/triage/index.js'
import type { Deps } from '../../../domain/shared/index.js'
import { ApiError } from '../../../http/errors.js'
import { describe, error, json } from '../../../http/openapi.js'
import type { Out } from '../../../http/schemas.js'
import { MergeInput, MergeManyInput, UndoneAnswer } from '../../../http/schemas/clusters.js'
import { validate } from '../../../http/validate.js'
import { projectFor, type ApiEnv, type Principal } from '../context.js'
import { clusterJson } from '../serialize.js'
import { mergedJson } from './serialize.js'
import { clusterFor, clusterNow, mergeDoc } from './shared.js'

/** Merging clusters (one or several into one, as one undoable action) and taking a merge back. */
export function clusterMergeRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  /** Sources and target checked: same project, not the same cluster, not merged away already. */
  async function mergeable(
    responder: Principal,
    sourceIds: string[],
    intoId: string,
  ): Promise<{ target: Cluster; sources: Cluster[] }> {
    const target = await clusterFor(deps, responder, intoId, 'responder')
    if (target.mergedIntoId)
      throw new ApiError(400, 'merged_cluster', 'That cluster was merged; pick the one it was merged into.')
    const sources: Cluster[] = []
    for (const sid of new Set(sourceIds)) {
      const source = await clusterFor(deps, responder, sid, 'responder')
      if (source.projectId !== target.projectId)
        throw new ApiError(400, 'different_projects', 'Only clusters of the same project can be merged.')
      if (source.id === target.id) throw new ApiError(400, 'same_cluster', 'A cluster cannot be merged into itself.')
      if (source.mergedIntoId) throw new ApiError(400, 'merged_cluster', 'That cluster was merged already.')
      sources.push(source)
    }
    return { target, sources }
  }

  /** Merges the checked sources into the target; answers the survivor and the undo handle. */
  async function merge(responder: Principal, sourceIds: string[], intoId: string) {
    const { target, sources } = await mergeable(responder, sourceIds, intoId)
    const ids = sources.map((s) => s.id)
    const group: MergedGroup = await mergeClusterGroup(deps, ids, target.id, responder.id)
    return mergedJson(group, await clusterNow(deps, group.targetId))
  }

  app.post(
    '/clusters/:id/merge',
    mergeDoc('mergeCluster', 'Merge this cluster into another of the same project (undoable for a while)'),
    validate('json', MergeInput),
    async (c) => c.json(await merge(c.get('responder'), [c.req.param('id')], c.req.valid('json').into_id)),
  )

  /** Several clusters into one, as one action with one undo. */
  app.post(
    '/clusters/merge',
    mergeDoc('mergeClusters', 'Merge several clusters into one, as one action with one undo'),
    validate('json', MergeManyInput),
    async (c) => {
      const input = c.req.valid('json')
      return c.json(await merge(c.get('responder'), input.source_ids, input.into_id))
    },
  )

  app.post(
    '/merges/:id/undo',
    describe({
      id: 'undoMerge',
      tag: 'clusters',
      auth: 'session',
      summary: 'Undo a merge while it can still be undone: the merged clusters and their reports come back',
      responses: {
        '200': json(UndoneAnswer, 'The cluster and the clusters restored'),
        '404': error('not_found'),
        '409': error('already_undone, merge_superseded (the cluster was merged again since)'),
        '410': error('undo_expired'),
      },
    }),
    async (c) => {
      const responder = c.get('responder')
      const projectId = await mergeGroupProject(deps.db.orm, c.req.param('id'))
      if (!projectId) throw new ApiError(404, 'not_found', 'Not found.')
      await projectFor(deps, responder, projectId, 'responder')
      try {
        const done = await undoMergeGroup(deps, c.req.param('id'), responder.id)
        const restored = await Promise.all(done.restored.map((rid) => getCluster(deps.db.orm, rid)))
        return c.json({
          cluster: clusterJson(await clusterNow(deps, done.targetId)),
          restored: restored.filter((r) => !!r).map(clusterJson),
        } satisfies Out<typeof UndoneAnswer>)
      } catch (e) {
        if (!(e instanceof UndoRefused)) throw e
        if (e.code === 'not_found') throw new ApiError(404, 'not_found', 'Not found.')
        throw new ApiError(e.code === 'undo_expired' ? 410 : 409, e.code, e.message)
      }
    },
  )

  return app
}
