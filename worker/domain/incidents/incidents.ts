import { and, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm'
import type { Reader, Tx } from '../../db/client.js'
import {
  clusters,
  incidents,
  incidentUpdates,
  reports,
  type ComponentStatus,
  type IncidentImpact,
  type IncidentStatus,
} from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { newId } from '../shared/index.js'
import { statusChanged } from './cache.js'
import { componentsOfIncidents, recordComponentChanges, setIncidentComponents } from './components.js'
import { afterUpdate, tellReporters } from './fanout.js'
import { statusPageUrl } from './links.js'
import type { Project } from '../projects/index.js'

export type Incident = typeof incidents.$inferSelect
export type IncidentUpdate = typeof incidentUpdates.$inferSelect
export interface IncidentWithLatest extends Incident {
  status: IncidentStatus
  updatedAt: number
  latest: IncidentUpdate
}
export interface AffectedComponent {
  componentId: string
  status: ComponentStatus
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
  components?: AffectedComponent[]
}

export interface UpdateInput {
  status: IncidentStatus
  message: string
  internalNote?: string
  authorId?: string
  /** When given, replaces which components the incident affects and how badly. */
  components?: AffectedComponent[]
}

/**
 * Declares an incident with its first update; a cluster it comes from (and its reports) link to it.
 * Subscribers are told in the same transaction (through the outbox), so the announcement can
 * neither be lost nor sent for an incident that was never stored.
 */
export async function declareIncident(deps: Deps, input: DeclareInput): Promise<IncidentWithLatest> {
  const declared = await deps.db.write(async (tx) => {
    const now = deps.clock.now()
    const incident: Incident = {
      id: newId('inc', now),
      projectId: input.projectId,
      title: input.title,
      impact: input.impact,
      visibility: input.visibility ?? 'public',
      createdById: input.authorId ?? null,
      createdAt: now,
      mayBeBackAt: null,
    }
    await tx.insert(incidents).values(incident)
    const changes = input.components ? await setIncidentComponents(tx, incident.id, input.components) : []
    const latest = await insertUpdate(tx, now, incident.id, {
      status: input.status ?? 'investigating',
      message: input.message,
      internalNote: input.internalNote,
      authorId: input.authorId,
    })
    await recordComponentChanges(tx, latest.id, changes)
    if (input.clusterId) await linkCluster(tx, incident.id, input.clusterId)
    await afterUpdate(tx, deps, incident, latest, { previousStatus: undefined })
    return { ...incident, status: latest.status, updatedAt: now, latest }
  })
  statusChanged(deps)
  return declared
}

/** Links a cluster and every report in it; reports that arrive later follow (see reports.ts). */
export async function linkCluster(tx: Tx, incidentId: string, clusterId: string) {
  await tx.update(clusters).set({ incidentId }).where(eq(clusters.id, clusterId))
  await tx.update(reports).set({ incidentId }).where(eq(reports.clusterId, clusterId))
}

/** Open and acknowledged clusters linked to the incident become resolved (muted ones stay muted). */
async function resolveLinkedClusters(tx: Tx, incidentId: string) {
  await tx
    .update(clusters)
    .set({ status: 'resolved' })
    .where(
      and(
        eq(clusters.incidentId, incidentId),
        isNull(clusters.mergedIntoId),
        inArray(clusters.status, ['open', 'acknowledged']),
      ),
    )
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
    internalNote: input.internalNote || null,
    authorId: input.authorId ?? null,
    createdAt: now,
  }
  await tx.insert(incidentUpdates).values(row)
  return row
}

/**
 * Posts an update. The incident's status becomes the update's status; resolving also tells the
 * people who reported it (notices in their browser, e-mail when they left one).
 */
export async function postUpdate(deps: Deps, incidentId: string, input: UpdateInput): Promise<IncidentUpdate> {
  const posted = await deps.db.write(async (tx) => {
    const incident = await tx.select().from(incidents).where(eq(incidents.id, incidentId)).get()
    if (!incident) throw new Error(`incident ${incidentId} not found`)
    const previous = (await latestUpdates(tx, [incidentId])).get(incidentId)
    // Updates are ordered by time; never let a new one sort before the current latest.
    const now = Math.max(deps.clock.now(), (previous?.createdAt ?? 0) + 1)
    const changes = input.components ? await setIncidentComponents(tx, incidentId, input.components) : []
    const update = await insertUpdate(tx, now, incidentId, input)
    await recordComponentChanges(tx, update.id, changes)
    // A cluster follows its incident: fixed together, so triage no longer lists it as active.
    if (update.status === 'resolved' && previous?.status !== 'resolved') await resolveLinkedClusters(tx, incidentId)
    // Reopened (or still being worked on): no longer a resolved incident that "may be back".
    if (update.status !== 'resolved' && incident.mayBeBackAt !== null)
      await tx.update(incidents).set({ mayBeBackAt: null }).where(eq(incidents.id, incidentId))
    await afterUpdate(tx, deps, incident, update, { previousStatus: previous?.status })
    return update
  })
  statusChanged(deps)
  return posted
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

/** Every update of each incident, newest first. */
export async function updatesOf(db: Reader, incidentIds: string[]): Promise<Map<string, IncidentUpdate[]>> {
  const map = new Map<string, IncidentUpdate[]>()
  if (incidentIds.length === 0) return map
  const rows = await db
    .select()
    .from(incidentUpdates)
    .where(inArray(incidentUpdates.incidentId, incidentIds))
    .orderBy(desc(incidentUpdates.createdAt), desc(incidentUpdates.id))
    .all()
  for (const row of rows) map.set(row.incidentId, [...(map.get(row.incidentId) ?? []), row])
  return map
}

function withLatest(list: Incident[], latest: Map<string, IncidentUpdate>): IncidentWithLatest[] {
  return list.flatMap((incident) => {
    const update = latest.get(incident.id)
    return update ? [{ ...incident, status: update.status, updatedAt: update.createdAt, latest: update }] : []
  })
}

const latestStatusSql = sql`(SELECT u.status FROM incident_updates u
  WHERE u.incident_id = ${incidents.id} ORDER BY u.created_at DESC, u.id DESC LIMIT 1)`

/**
 * A responder looked at the reports that arrived after the incident was resolved and says it is
 * not back: the "may be back" mark goes (the reopened clusters stay open for triage).
 */
export async function dismissRecurrence(deps: Deps, incidentId: string): Promise<void> {
  await deps.db.write((tx) => tx.update(incidents).set({ mayBeBackAt: null }).where(eq(incidents.id, incidentId)))
}

/** Reports linked to the incident that arrived after it was resolved at `resolvedAt`. */
export async function reportsSinceResolved(db: Reader, incidentId: string, resolvedAt: number): Promise<number> {
  const row = await db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM reports WHERE incident_id = ${incidentId} AND created_at > ${resolvedAt}`,
  )
  return Number(row?.n ?? 0)
}

/** Incidents whose latest update is not `resolved`. Private ones only when asked for. */
export async function listActiveIncidents(
  db: Reader,
  projectId: string,
  opts: { includePrivate: boolean },
): Promise<IncidentWithLatest[]> {
  const unresolved = sql`${latestStatusSql} <> 'resolved'`
  const where = opts.includePrivate
    ? and(eq(incidents.projectId, projectId), unresolved)
    : and(eq(incidents.projectId, projectId), eq(incidents.visibility, 'public'), unresolved)
  const list = await db.select().from(incidents).where(where).orderBy(desc(incidents.createdAt)).all()
  return withLatest(
    list,
    await latestUpdates(
      db,
      list.map((i) => i.id),
    ),
  )
}

/**
 * A project's incidents that were open at any time since `since` (still open, or updated after
 * it), newest first, each with all its updates (newest first): the status page history and feeds.
 * One query for the incidents, one for their updates.
 */
export async function listIncidentsSince(
  db: Reader,
  projectId: string,
  since: number,
  opts: { includePrivate: boolean; limit?: number },
): Promise<(IncidentWithLatest & { updates: IncidentUpdate[] })[]> {
  const recent = or(
    gte(incidents.createdAt, since),
    sql`EXISTS (SELECT 1 FROM incident_updates u WHERE u.incident_id = ${incidents.id} AND u.created_at >= ${since})`,
    sql`${latestStatusSql} <> 'resolved'`,
  )
  const filters = [eq(incidents.projectId, projectId), recent]
  if (!opts.includePrivate) filters.push(eq(incidents.visibility, 'public'))
  const list = await db
    .select()
    .from(incidents)
    .where(and(...filters))
    .orderBy(desc(incidents.createdAt))
    .limit(opts.limit ?? 500)
    .all()
  const updates = await updatesOf(
    db,
    list.map((i) => i.id),
  )
  return list.flatMap((incident) => {
    const mine = updates.get(incident.id)
    const latest = mine?.[0]
    return latest ? [{ ...incident, status: latest.status, updatedAt: latest.createdAt, latest, updates: mine }] : []
  })
}

export async function listIncidents(db: Reader, projectIds: string[], limit = 100): Promise<IncidentWithLatest[]> {
  if (projectIds.length === 0) return []
  const list = await db
    .select()
    .from(incidents)
    .where(inArray(incidents.projectId, projectIds))
    .orderBy(desc(incidents.createdAt))
    .limit(limit)
    .all()
  return withLatest(
    list,
    await latestUpdates(
      db,
      list.map((i) => i.id),
    ),
  )
}

export async function getIncident(db: Reader, incidentId: string) {
  const incident = await db.select().from(incidents).where(eq(incidents.id, incidentId)).get()
  if (!incident) return undefined
  const updates = (await updatesOf(db, [incidentId])).get(incidentId) ?? []
  const latest = updates[0]!
  const linkedClusters = await db
    .select({
      id: clusters.id,
      title: clusters.title,
      reportCount: clusters.reportCount,
      reporterCount: clusters.reporterCount,
    })
    .from(clusters)
    .where(eq(clusters.incidentId, incidentId))
    .all()
  const affected = (await componentsOfIncidents(db, [incidentId])).get(incidentId) ?? []
  return {
    ...incident,
    status: latest.status,
    updatedAt: latest.createdAt,
    latest,
    updates,
    clusters: linkedClusters,
    components: affected,
  }
}

export async function setIncidentDetails(
  deps: Deps,
  incidentId: string,
  input: { title?: string; impact?: IncidentImpact; visibility?: 'public' | 'private' },
) {
  await deps.db.write((tx) => tx.update(incidents).set(input).where(eq(incidents.id, incidentId)))
  statusChanged(deps)
}

/**
 * A responder's message to everyone affected (POST /api/incidents/:id/notify-affected): a notice
 * for each reporter's browser and an e-mail per address left, queued in one write. Each call is a
 * new message (its own dedupe key), so sending the same text twice tells them twice.
 */
export async function notifyAffected(
  deps: Deps,
  project: Project,
  incident: Incident,
  message: string,
): Promise<{ notices: number; emails: number }> {
  const key = `${incident.id}:${crypto.randomUUID()}`
  const pageUrl = await statusPageUrl(deps.db.orm, deps.config, project)
  return deps.db.write((tx) =>
    tellReporters(tx, deps, project, incident, { kind: 'update', message, key, pageUrl, at: deps.clock.now() }),
  )
}
