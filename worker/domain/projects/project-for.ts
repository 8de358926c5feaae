// A responder's way to a project: found in one of their workspaces, with the role the action needs.
import type { Role } from '../../db/schema/index.js'
import { requireRole, type SessionResponder } from '../access/index.js'
import { notFound, type Deps } from '../shared/index.js'
import { getProject, type Project } from './projects.js'

/** Loads a project the responder may see (not found otherwise) and checks the role for the action. */
export async function projectFor(
  deps: Deps,
  responder: SessionResponder,
  projectId: string,
  atLeast: Role,
): Promise<Project> {
  for (const m of responder.memberships) {
    const project = await getProject(deps.db.orm, m.workspaceId, projectId)
    if (project) {
      requireRole(responder, project.workspaceId, atLeast)
      return project
    }
  }
  throw notFound()
}
