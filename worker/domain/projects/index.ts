// Workspaces' projects: keys (with the isolate cache), settings, the first project of a new workspace.
// The feature's one door: the rest of worker/ imports this file, never the leaves beside it.
export { ensureProjectWithOwner, type ProjectWithOwner } from './first-project.js'
export {
  ProjectKeyCache,
  allowedOriginsOf,
  createProject,
  findProjectById,
  findProjectBySlug,
  getProject,
  isOriginAllowed,
  listProjects,
  listWorkspaces,
  prepareProjectByKey,
  projectByKey,
  projectByKeyStatement,
  projectFromRow,
  projectSettings,
  rotatePublicKey,
  setAllowedOrigins,
  updateProject,
  type Project,
  type ProjectByKeyQuery,
} from './projects.js'
export { projectFor } from './project-for.js'
export { addProject, changeProject, rotateProjectKey } from './projects.js'
