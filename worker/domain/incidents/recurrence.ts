// "May be back": a report joins a cluster whose incident was resolved. A leaf module (no runtime
// imports) so the pipeline can run it in its transaction without importing the incident domain.
/**
 * Recurrence, in the pipeline's transaction for a batch whose reports joined these existing
 * clusters: a resolved incident linked to a resolved cluster that just got a report "may be back",
 * and the cluster reopens (a muted one stays muted). Two statements, whatever the batch size.
 */
export function recurrenceStatements(clusterIds: string[], now: number): { sql: string; args: (string | number)[] }[] {
  if (!clusterIds.length) return []
  const ids = JSON.stringify([...new Set(clusterIds)])
  return [
    {
      sql: `UPDATE incidents SET may_be_back_at = ? WHERE may_be_back_at IS NULL
              AND id IN (SELECT c.incident_id FROM json_each(?) j JOIN clusters c ON c.id = j.value
                WHERE c.status = 'resolved' AND c.incident_id IS NOT NULL)
              AND (SELECT u.status FROM incident_updates u WHERE u.incident_id = incidents.id
                ORDER BY u.created_at DESC, u.id DESC LIMIT 1) = 'resolved'`,
      args: [now, ids],
    },
    {
      sql: `UPDATE clusters SET status = 'open' WHERE status = 'resolved' AND id IN (SELECT value FROM json_each(?))`,
      args: [ids],
    },
  ]
}
