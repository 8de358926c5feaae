// Which reports belong to an incident: linked directly, or sitting in a cluster linked to it (robust
// to reports that reached a linked cluster by a path that did not copy the link). A leaf (schema
// only) so incidents, notices and learning can use it without importing each other.
import { eq, inArray, or, sql } from 'drizzle-orm'
import { reports } from '../../db/schema/index.js'

export function reportsOfIncidentWhere(incidentId: string) {
  return or(
    eq(reports.incidentId, incidentId),
    inArray(reports.clusterId, sql`(SELECT c.id FROM clusters c WHERE c.incident_id = ${incidentId})`),
  )
}
