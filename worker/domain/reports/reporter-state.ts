// What a browser's anonymous reporter already did about active incidents, so the widget never asks
// them again: "notified" (they said "notify me when it's fixed") or "reported" (one of their
// reports is linked to the incident, directly or through its cluster).
import { sql } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'

export type ReporterState = 'notified' | 'reported'

export async function reporterStates(
  db: Reader,
  projectId: string,
  reporterId: string,
  incidentIds: string[],
): Promise<Map<string, ReporterState>> {
  const out = new Map<string, ReporterState>()
  if (!incidentIds.length) return out
  const ids = sql.join(
    incidentIds.map((id) => sql`${id}`),
    sql`, `,
  )
  const rows = await db.all<{ incident_id: string; notified: number }>(sql`
    SELECT coalesce(r.incident_id, c.incident_id) AS incident_id, max(r.source = 'affected') AS notified
    FROM reports r LEFT JOIN clusters c ON c.id = r.cluster_id
    WHERE r.project_id = ${projectId} AND r.reporter_id = ${reporterId}
      AND coalesce(r.incident_id, c.incident_id) IN (${ids})
    GROUP BY 1`)
  for (const r of rows) out.set(r.incident_id, Number(r.notified) ? 'notified' : 'reported')
  return out
}
