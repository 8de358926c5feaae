// engine_versions: a counter per project, bumped in the same transaction as every change to its
// clustering or surge state, so a copy of that state held in memory can tell it is stale.
import type { Reader } from '../../db/client.js'
import { queryRows } from '../../db/raw-sql.js'

/** Each project's version now (0 for a project nothing has changed yet). */
export async function engineVersions(x: Reader, projectIds: string[]): Promise<Map<string, number>> {
  const out = new Map(projectIds.map((p) => [p, 0]))
  if (!projectIds.length) return out
  const rows = await queryRows<{ project_id: string; version: number }>(x, {
    sql: 'SELECT v.project_id, v.version FROM json_each(?) j CROSS JOIN engine_versions v ON v.project_id = j.value',
    args: [JSON.stringify(projectIds)],
  })
  for (const r of rows) out.set(r.project_id, Number(r.version))
  return out
}

/** Bumps the project's version inside the open transaction; returns the new version. */
export async function bumpEngineVersion(x: Reader, projectId: string): Promise<number> {
  const [row] = await queryRows<{ version: number }>(x, {
    sql: `INSERT INTO engine_versions (project_id, version) VALUES (?, 1)
          ON CONFLICT (project_id) DO UPDATE SET version = version + 1 RETURNING version`,
    args: [projectId],
  })
  return Number(row!.version)
}
