import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import type { Reader, Tx } from '../../db/client.js'
import {
  components,
  incidentComponents,
  incidentUpdateComponents,
  type ComponentStatus,
} from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { newId } from '../shared/index.js'
import { statusChanged } from './cache.js'

export type Component = typeof components.$inferSelect
/** What a customer sees: the baseline, or worse while an incident affects it, or maintenance. */
export type ShownComponentStatus = ComponentStatus | 'under_maintenance'

const SEVERITY: Record<ShownComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
}

export function worstStatus(list: ShownComponentStatus[]): ShownComponentStatus {
  return list.reduce<ShownComponentStatus>((worst, s) => (SEVERITY[s] > SEVERITY[worst] ? s : worst), 'operational')
}

export async function listComponents(db: Reader, projectId: string): Promise<Component[]> {
  return db
    .select()
    .from(components)
    .where(and(eq(components.projectId, projectId), isNull(components.deletedAt)))
    .orderBy(asc(components.position), asc(components.createdAt))
    .all()
}

export async function getComponent(db: Reader, projectId: string, id: string): Promise<Component | undefined> {
  return db
    .select()
    .from(components)
    .where(and(eq(components.projectId, projectId), eq(components.id, id), isNull(components.deletedAt)))
    .get()
}

export async function createComponent(
  deps: Deps,
  projectId: string,
  input: { name: string; description?: string; position?: number },
) {
  const created = await deps.db.write(async (tx) => {
    const now = deps.clock.now()
    const position = input.position ?? (await listComponents(tx, projectId)).length
    const row: Component = {
      id: newId('cmp', now),
      projectId,
      name: input.name,
      description: input.description ?? '',
      position,
      status: 'operational',
      createdAt: now,
      deletedAt: null,
    }
    await tx.insert(components).values(row)
    return row
  })
  statusChanged(deps)
  return created
}

export async function updateComponent(
  deps: Deps,
  projectId: string,
  id: string,
  input: { name?: string; description?: string; position?: number; status?: ComponentStatus },
) {
  await deps.db.write((tx) =>
    tx
      .update(components)
      .set(input)
      .where(and(eq(components.projectId, projectId), eq(components.id, id))),
  )
  statusChanged(deps)
}

export async function deleteComponent(deps: Deps, projectId: string, id: string) {
  await deps.db.write((tx) =>
    tx
      .update(components)
      .set({ deletedAt: deps.clock.now() })
      .where(and(eq(components.projectId, projectId), eq(components.id, id))),
  )
  statusChanged(deps)
}

/** Checks every id names a live component of this project (so a request cannot reach another's). */
export async function assertComponentsOf(db: Reader, projectId: string, ids: string[]): Promise<boolean> {
  if (ids.length === 0) return true
  const found = await db
    .select({ id: components.id })
    .from(components)
    .where(and(eq(components.projectId, projectId), inArray(components.id, ids), isNull(components.deletedAt)))
    .all()
  return new Set(found.map((f) => f.id)).size === new Set(ids).size
}

/** A component's status changed by one incident update (components leaving the incident go back to operational). */
export interface ComponentChange {
  componentId: string
  oldStatus: ComponentStatus
  newStatus: ComponentStatus
}

/**
 * Replaces the components an incident affects (an empty list clears them) and returns what changed,
 * which the update that made the change records (`recordComponentChanges`).
 */
export async function setIncidentComponents(
  tx: Tx,
  incidentId: string,
  list: { componentId: string; status: ComponentStatus }[],
): Promise<ComponentChange[]> {
  const before = new Map(
    (await tx.select().from(incidentComponents).where(eq(incidentComponents.incidentId, incidentId)).all()).map((r) => [
      r.componentId,
      r.status,
    ]),
  )
  await tx.delete(incidentComponents).where(eq(incidentComponents.incidentId, incidentId))
  const unique = new Map(list.map((c) => [c.componentId, c.status]))
  if (unique.size)
    await tx
      .insert(incidentComponents)
      .values([...unique].map(([componentId, status]) => ({ incidentId, componentId, status })))
  const changes: ComponentChange[] = []
  for (const [componentId, newStatus] of unique) {
    const oldStatus = before.get(componentId) ?? 'operational'
    if (oldStatus !== newStatus) changes.push({ componentId, oldStatus, newStatus })
  }
  for (const [componentId, oldStatus] of before) {
    if (!unique.has(componentId) && oldStatus !== 'operational')
      changes.push({ componentId, oldStatus, newStatus: 'operational' })
  }
  return changes
}

/** Stores the component changes an update announced (Statuspage's `affected_components`). */
export async function recordComponentChanges(tx: Tx, updateId: string, changes: ComponentChange[]) {
  if (changes.length) await tx.insert(incidentUpdateComponents).values(changes.map((c) => ({ updateId, ...c })))
}

/** The component changes of each update, with the component (also a removed one: history keeps its name). */
export async function componentChangesOfUpdates(db: Reader, updateIds: string[]) {
  const byUpdate = new Map<string, (ComponentChange & { component: Component })[]>()
  if (updateIds.length === 0) return byUpdate
  const rows = await db
    .select({ change: incidentUpdateComponents, component: components })
    .from(incidentUpdateComponents)
    .innerJoin(components, eq(components.id, incidentUpdateComponents.componentId))
    .where(inArray(incidentUpdateComponents.updateId, updateIds))
    .orderBy(asc(components.position), asc(components.createdAt))
    .all()
  for (const r of rows) {
    const list = byUpdate.get(r.change.updateId) ?? []
    list.push({
      componentId: r.change.componentId,
      oldStatus: r.change.oldStatus,
      newStatus: r.change.newStatus,
      component: r.component,
    })
    byUpdate.set(r.change.updateId, list)
  }
  return byUpdate
}

/** An affected component: how badly this incident hits it, and the component itself. */
export interface IncidentComponent {
  componentId: string
  name: string
  status: ComponentStatus
  component: Component
}

export async function componentsOfIncidents(db: Reader, incidentIds: string[]) {
  const byIncident = new Map<string, IncidentComponent[]>()
  if (incidentIds.length === 0) return byIncident
  const rows = await db
    .select({ incidentId: incidentComponents.incidentId, status: incidentComponents.status, component: components })
    .from(incidentComponents)
    .innerJoin(components, eq(components.id, incidentComponents.componentId))
    .where(inArray(incidentComponents.incidentId, incidentIds))
    .orderBy(asc(components.position), asc(components.createdAt))
    .all()
  for (const r of rows) {
    const list = byIncident.get(r.incidentId) ?? []
    list.push({ componentId: r.component.id, name: r.component.name, status: r.status, component: r.component })
    byIncident.set(r.incidentId, list)
  }
  return byIncident
}
