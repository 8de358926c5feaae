// What the cluster area's route files share: their OpenAPI shapes and the access checks (a
// cluster or project the caller may see or change, 404 for foreign ids).
import type { Deps } from '../../../domain/shared/index.js'
import { attachmentsOf } from '../../../domain/reports/index.js'
import { getCluster, type Report } from '../../../domain/triage/index.js'
import { listProjects } from '../../../domain/projects/index.js'
import { ApiError } from '../../../http/errors.js'
import { describe, error, json } from '../../../http/openapi.js'
import { ClusterAnswer, MergedAnswer } from '../../../http/schemas/clusters.js'
import { projectFor, type Principal, workspaceIdsOf } from '../context.js'
import { reportsWithAttachmentJson } from './serialize.js'

export const mergeDoc = (id: string, summary: string) =>
  describe({
    id,
    tag: 'clusters',
    auth: 'session',
    summary,
    responses: {
      '200': json(MergedAnswer, 'The surviving cluster and the undo handle'),
      '400': error('invalid_body, different_projects, same_cluster, merged_cluster'),
      '404': error('not_found'),
    },
  })

export const clusterDoc = (id: string, summary: string, codes: string) =>
  describe({
    id,
    tag: 'clusters',
    auth: 'session',
    summary,
    responses: {
      '200': json(ClusterAnswer, 'The cluster after the action'),
      '400': error(codes),
      '404': error('not_found'),
    },
  })

/** The one project asked for (if the caller sees it), or every project of the caller's workspaces. */
export async function visibleProjectIds(deps: Deps, responder: Principal, projectId?: string): Promise<string[]> {
  if (projectId) return [(await projectFor(deps, responder, projectId, 'viewer')).id]
  return (await Promise.all(workspaceIdsOf(responder).map((w) => listProjects(deps.db.orm, w)))).flat().map((p) => p.id)
}

/** Loads a cluster and checks the caller may act on it with at least `role` (404 for foreign ids). */
export async function clusterFor(
  deps: Deps,
  responder: Principal,
  clusterId: string,
  role: Parameters<typeof projectFor>[3],
) {
  const cluster = await getCluster(deps.db.orm, clusterId)
  if (!cluster) throw new ApiError(404, 'not_found', 'Not found.')
  await projectFor(deps, responder, cluster.projectId, role)
  return cluster
}

/** The cluster as stored now (after an action on it). */
export const clusterNow = async (deps: Deps, clusterId: string) => (await getCluster(deps.db.orm, clusterId))!

/** Reports with their screenshot's type and size (one query for the page). */
export async function reportsWithAttachments(deps: Deps, list: Report[]) {
  const found = await attachmentsOf(
    deps.db.orm,
    list.map((r) => r.id),
  )
  return reportsWithAttachmentJson(list, found)
}
