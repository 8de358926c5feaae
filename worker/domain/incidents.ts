import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Reader, Tx } from '../db/client.js'
import {
  clusters,
  incidents,
  incidentUpdates,
  reports,
  type IncidentImpact,
  type IncidentStatus,
} from '../db/schema/index.js'
import type { Deps } from './deps.js'
import { newId } from './ids.js'

export type Incident = typeof incidents.$inferSelect
export type IncidentUpdate = typeof incidentUpdates.$inferSelect
export interface IncidentWithLatest extends Incident {
  status: IncidentStatus
  updatedAt: number
  latest: IncidentUpdate
}

export interface DeclareInput {
  projectId: string
  title: string
  impact: IncidentImpact
  visibility?: 'public' | 'private'
  status?: Exclude<IncidentStatus, 'resolved'>
  message: string
  internalNote?: string
  clusterId?: string
  authorId?: string
}

/** Declares an incident with its first update; a cluster it comes from (and its reports) link to it. */
export async function declareIncident(deps: Deps, input: DeclareInput): Promise<IncidentWithLatest> {
  return deps.db.write(async (tx) => {
    const now = deps.clock.now()
    const incident: Incident = {
      id: newId('inc', now),
      projectId: input.projectId,
      title: input.title,
      impact: input.impact,
      visibility: input.visibility ?? 'public',
      createdById: input.authorId ?? null,
      createdAt: now,
    }
    await tx.insert(incidents).values(incident)
    const latest = await insertUpdate(tx, now, incident.id, {
      status: input.status ?? 'investigating',
      message: input.message,
      internalNote: input.internalNote,
      authorId: input.authorId,
    })
    if (input.clusterId) await linkCluster(tx, incident.id, input.clusterId)
    return { ...incident, status: latest.status, updatedAt: now, latest }
  })
}

export async function linkCluster(tx: Tx, incidentId: string, clusterId: string) {
  await tx.update(clusters).set({ incidentId }).where(eq(clusters.id, clusterId))
  await tx.update(reports).set({ incidentId }).where(eq(reports.clusterId, clusterId))
}

async function insertUpdate(
  tx: Tx,
  now: number,
  incidentId: string,
  input: { status: IncidentStatus; message: string; internalNote?: string; authorId?: string },
): Promise<IncidentUpdate> {
  const row: IncidentUpdate = {
    id: newId('upd', now),
    incidentId,
    status: input.status,
    message: input.message,
    internalNote: input.internalNote ?? null,
    authorId: input.authorId ?? null,
    createdAt: now,
  }
  await tx.insert(incidentUpdates).values(row)
  return row
}

export async function postUpdate(
  deps: Deps,
  incidentId: string,
  input: { status: IncidentStatus; message: string; internalNote?: string; authorId?: string },
): Promise<IncidentUpdate> {
  return deps.db.write((tx) => insertUpdate(tx, deps.clock.now(), incidentId, input))
}

/** Latest update of each incident, via the (incident_id, created_at) index. */
async function latestUpdates(db: Reader, incidentIds: string[]): Promise<Map<string, IncidentUpdate>> {
  if (incidentIds.length === 0) return new Map()
  const rows = await db
    .select()
    .from(incidentUpdates)
    .where(inArray(incidentUpdates.incidentId, incidentIds))
    .orderBy(incidentUpdates.incidentId, desc(incidentUpdates.createdAt), desc(incidentUpdates.id))
    .all()
  const latest = new Map<string, IncidentUpdate>()
  for (const row of rows) if (!latest.has(row.incidentId)) latest.set(row.incidentId, row)
  return latest
}

function withLatest(list: Incident[], latest: Map<string, IncidentUpdate>): IncidentWithLatest[] {
  return list.flatMap((incident) => {
    const update = latest.get(incident.id)
    return update ? [{ ...incident, status: update.status, updatedAt: update.createdAt, latest: update }] : []
  })
}

/** Incidents whose latest update is not `resolved`. Private ones only when asked for. */
export async function listActiveIncidents(db: Reader, projectId: string, opts: { includePrivate: boolean }): Promise<IncidentWithLatest[]> {
  const unresolved = sql`(SELECT u.status FROM incident_updates u WHERE u.incident_id = ${incidents.id} ORDER BY u.created_at DESC, u.id DESC LIMIT 1) <> 'resolved'`
  const where = opts.includePrivate
    ? and(eq(incidents.projectId, projectId), unresolved)
    : and(eq(incidents.projectId, projectId), eq(incidents.visibility, 'public'), unresolved)
  const list = await db.select().from(incidents).where(where).orderBy(desc(incidents.createdAt)).all()
  return withLatest(list, await latestUpdates(db, list.map((i) => i.id)))
}

export async function listIncidents(db: Reader, projectIds: string[], limit = 100): Promise<IncidentWithLatest[]> {
  if (projectIds.length === 0) return []
  const list = await db.select().from(incidents).where(inArray(incidents.projectId, projectIds)).orderBy(desc(incidents.createdAt)).limit(limit).all()
  return withLatest(list, await latestUpdates(db, list.map((i) => i.id)))
}

export async function getIncident(db: Reader, incidentId: string) {
  const incident = await db.select().from(incidents).where(eq(incidents.id, incidentId)).get()
  if (!incident) return undefined
  const updates = await db
    .select()
    .from(incidentUpdates)
    .where(eq(incidentUpdates.incidentId, incidentId))
    .orderBy(desc(incidentUpdates.createdAt), desc(incidentUpdates.id))
    .all()
  const latest = updates[0]!
  const linkedClusters = await db
    .select({ id: clusters.id, title: clusters.title, reportCount: clusters.reportCount, reporterCount: clusters.reporterCount })
    .from(clusters)
    .where(eq(clusters.incidentId, incidentId))
    .all()
  return { ...incident, status: latest.status, updatedAt: latest.createdAt, latest, updates, clusters: linkedClusters }
}
