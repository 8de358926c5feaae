// What a pipeline batch reads before it computes: the oldest waiting reports, their projects and
// those projects' engine versions. On a libSQL server (sqld, Turso) the three travel as ONE read
// batch: one request instead of three in a row, and one snapshot. On an embedded file they stay
// three reads, as before (a read there costs no round trip).
import { inArray } from 'drizzle-orm'
import { projects } from '../../db/schema/index.js'
import { engineVersions } from '../clustering/index.js'
import { projectFromRow, type Project } from '../projects/index.js'
import type { Deps } from '../shared/index.js'
import { pendingStatement, readPending, type PendingReport } from './pending.js'

export interface BatchInputs {
  rows: PendingReport[]
  /** The distinct projects of `rows`, in order of first appearance. */
  projectIds: string[]
  /** Those that still exist. */
  projects: Map<string, Project>
  /** Every one of `projectIds` (0 for a project the engine never wrote). */
  versions: Map<string, number>
}

const projectIdsOf = (rows: PendingReport[]) => [...new Set(rows.map((r) => r.project_id))]

export async function readBatchInputs(deps: Deps, limit: number): Promise<BatchInputs> {
  if (deps.db.remote) return readInOneRequest(deps, limit)
  const reader = deps.db.orm
  const rows = await readPending(reader, limit)
  const projectIds = projectIdsOf(rows)
  if (!rows.length) return { rows, projectIds, projects: new Map(), versions: new Map() }
  const projectRows = await reader.select().from(projects).where(inArray(projects.id, projectIds)).all()
  const versions = await engineVersions(reader, projectIds)
  return { rows, projectIds, projects: new Map(projectRows.map((p) => [p.id, p])), versions }
}

async function readInOneRequest(deps: Deps, limit: number): Promise<BatchInputs> {
  // The projects of the same reports the first statement reads (same snapshot, same LIMIT).
  const waiting = `SELECT DISTINCT project_id FROM
    (SELECT project_id FROM reports WHERE processed_at IS NULL ORDER BY rowid LIMIT ?)`
  const [pending, projectRows, versionRows] = await deps.db.client.batch(
    [
      pendingStatement(limit),
      { sql: `SELECT * FROM projects WHERE id IN (${waiting})`, args: [limit] },
      { sql: `SELECT project_id, version FROM engine_versions WHERE project_id IN (${waiting})`, args: [limit] },
    ],
    'read',
  )
  const rows = pending!.rows as unknown as PendingReport[]
  const projectIds = projectIdsOf(rows)
  const versions = new Map(projectIds.map((p) => [p, 0]))
  for (const r of versionRows!.rows) versions.set(String(r.project_id), Number(r.version))
  const byId = new Map<string, Project>()
  for (const r of projectRows!.rows) {
    const project = projectFromRow(r as unknown as Record<string, unknown>)
    byId.set(project.id, project)
  }
  return { rows, projectIds, projects: byId, versions }
}
