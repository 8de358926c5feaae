import { and, asc, desc, eq, gte, inArray, isNull } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { components, maintenanceComponents, maintenances, projects } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { newId } from '../shared/index.js'
import { statusChanged } from './cache.js'
import { activeSubscribers, unsubscribeUrl } from './fanout.js'
import { statusPageUrl } from './links.js'
import { maintenanceEmail } from './messages.js'
import { notifyWebhooks } from '../notifications/index.js'
import { enqueueEmail } from './outbox-port.js'

export type Maintenance = typeof maintenances.$inferSelect
export interface MaintenanceView extends Maintenance {
  /** `component`: the whole component row (its id and name repeated for the views). */
  components: { id: string; name: string; component: typeof components.$inferSelect }[]
  phase: 'scheduled' | 'in_progress' | 'completed' | 'cancelled'
}

export function phaseOf(
  m: Pick<Maintenance, 'startsAt' | 'endsAt' | 'cancelledAt'>,
  now: number,
): MaintenanceView['phase'] {
  if (m.cancelledAt != null) return 'cancelled'
  if (now < m.startsAt) return 'scheduled'
  if (now < m.endsAt) return 'in_progress'
  return 'completed'
}

/**
 * Plans a maintenance window. Subscribers hear about it right away (so it is "shown in advance"
 * in their inbox too), through the outbox in the same transaction.
 */
export async function scheduleMaintenance(
  deps: Deps,
  input: {
    projectId: string
    title: string
    message: string
    startsAt: number
    endsAt: number
    componentIds: string[]
    authorId?: string
  },
): Promise<Maintenance> {
  const scheduled = await deps.db.write(async (tx) => {
    const now = deps.clock.now()
    const row: Maintenance = {
      id: newId('mnt', now),
      projectId: input.projectId,
      title: input.title,
      message: input.message,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      createdById: input.authorId ?? null,
      createdAt: now,
      cancelledAt: null,
    }
    await tx.insert(maintenances).values(row)
    const ids = [...new Set(input.componentIds)]
    if (ids.length)
      await tx.insert(maintenanceComponents).values(ids.map((componentId) => ({ maintenanceId: row.id, componentId })))
    const project = (await tx.select().from(projects).where(eq(projects.id, input.projectId)).get())!
    const pageUrl = await statusPageUrl(tx, deps.config, project)
    for (const s of await activeSubscribers(tx, project.id, ids)) {
      const content = maintenanceEmail({
        project,
        title: row.title,
        message: row.message,
        startsAt: row.startsAt,
        endsAt: row.endsAt,
        pageUrl,
        unsubscribeUrl: unsubscribeUrl(pageUrl, s),
        lang: s.locale,
      })
      await enqueueEmail(tx, deps, {
        projectId: project.id,
        to: s.target,
        dedupeKey: `maint:${row.id}:${s.id}`,
        content,
      })
    }
    const window = `${new Date(row.startsAt).toUTCString()} – ${new Date(row.endsAt).toUTCString()}`
    await notifyWebhooks(tx, deps, project.id, `maintenance:${row.id}`, {
      event: 'maintenance.scheduled',
      title: `Scheduled maintenance: ${row.title}`,
      text: [window, row.message].filter(Boolean).join('\n'),
      url: `${pageUrl}#${row.id}`,
      data: {
        page: { id: project.id, name: project.name, url: pageUrl },
        scheduled_maintenance: {
          id: row.id,
          name: row.title,
          body: row.message,
          scheduled_for: new Date(row.startsAt).toISOString(),
          scheduled_until: new Date(row.endsAt).toISOString(),
          components: ids,
        },
      },
      componentIds: ids,
      at: now,
    })
    return row
  })
  statusChanged(deps)
  return scheduled
}

export async function cancelMaintenance(deps: Deps, projectId: string, id: string) {
  await deps.db.write((tx) =>
    tx
      .update(maintenances)
      .set({ cancelledAt: deps.clock.now() })
      .where(and(eq(maintenances.projectId, projectId), eq(maintenances.id, id), isNull(maintenances.cancelledAt))),
  )
  statusChanged(deps)
}

export async function getMaintenance(db: Reader, id: string): Promise<Maintenance | undefined> {
  return db.select().from(maintenances).where(eq(maintenances.id, id)).get()
}

/** Maintenance windows not cancelled that end after `since` (upcoming, running, recently done). */
export async function listMaintenances(
  db: Reader,
  projectId: string,
  since: number,
  now: number,
  opts: { includeCancelled?: boolean } = {},
): Promise<MaintenanceView[]> {
  const filters = [eq(maintenances.projectId, projectId), gte(maintenances.endsAt, since)]
  if (!opts.includeCancelled) filters.push(isNull(maintenances.cancelledAt))
  const rows = await db
    .select()
    .from(maintenances)
    .where(and(...filters))
    .orderBy(asc(maintenances.startsAt))
    .limit(200)
    .all()
  const links = rows.length
    ? await db
        .select({ maintenanceId: maintenanceComponents.maintenanceId, component: components })
        .from(maintenanceComponents)
        .innerJoin(components, eq(components.id, maintenanceComponents.componentId))
        .where(
          inArray(
            maintenanceComponents.maintenanceId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(components.position), asc(components.createdAt))
        .all()
    : []
  return rows.map((r) => ({
    ...r,
    components: links
      .filter((l) => l.maintenanceId === r.id)
      .map((l) => ({ id: l.component.id, name: l.component.name, component: l.component })),
    phase: phaseOf(r, now),
  }))
}

export async function listRecentMaintenances(db: Reader, projectId: string, limit = 50) {
  return db
    .select()
    .from(maintenances)
    .where(eq(maintenances.projectId, projectId))
    .orderBy(desc(maintenances.startsAt))
    .limit(limit)
    .all()
}
