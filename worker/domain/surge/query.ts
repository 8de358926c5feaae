import { and, desc, eq, gte, inArray, isNull, lt } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { projects, surgeBuckets, surgeReporters, surges } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { deployNote, type DeployNote } from './deploys.js'
import { minuteOf } from './counters.js'
import { DEFAULT_SURGE_SETTINGS, surgeSettings } from './settings.js'

export type Surge = typeof surges.$inferSelect

export interface SurgeView extends Surge {
  active: boolean
  /** "began N minutes after release X", when a deploy preceded it. */
  deploy?: DeployNote
}

function view(s: Surge, cooldownMs: number, now: number): SurgeView {
  const active = s.endedAt === null && now - s.lastHotAt <= cooldownMs
  const deploy = s.deployId
    ? deployNote(
        { id: s.deployId, release: s.deployRelease!, environment: null, createdAt: s.deployedAt! },
        s.startedAt,
      )
    : undefined
  return { ...s, active, deploy }
}

/**
 * Surges going on now in these projects (newest first), for the dashboard's "surging" flags and
 * sorting: a cluster is surging when one of these has its cluster_id; scope 'project' means the
 * whole project is.
 */
export async function activeSurges(db: Reader, projectIds: string[], now = Date.now()): Promise<SurgeView[]> {
  if (projectIds.length === 0) return []
  const settings = await db
    .select({ id: projects.id, settings: projects.settings })
    .from(projects)
    .where(inArray(projects.id, projectIds))
    .all()
  const cooldown = new Map(settings.map((p) => [p.id, surgeSettings(p).cooldownMinutes * 60_000]))
  const longest = Math.max(DEFAULT_SURGE_SETTINGS.cooldownMinutes * 60_000, ...cooldown.values())
  const rows = await db
    .select()
    .from(surges)
    .where(and(inArray(surges.projectId, projectIds), isNull(surges.endedAt), gte(surges.lastHotAt, now - longest)))
    .orderBy(desc(surges.startedAt))
    .all()
  return rows.map((s) => view(s, cooldown.get(s.projectId)!, now)).filter((s) => s.active)
}

/**
 * Past and present surges of a project (or of one cluster: its own, not topic surges that crossed
 * in it), newest first.
 */
export async function listSurges(
  db: Reader,
  projectId: string,
  opts: { clusterId?: string; limit?: number; now?: number } = {},
): Promise<SurgeView[]> {
  const project = await db
    .select({ settings: projects.settings })
    .from(projects)
    .where(eq(projects.id, projectId))
    .get()
  const cooldownMs = surgeSettings(project ?? { settings: '{}' }).cooldownMinutes * 60_000
  const filter = opts.clusterId
    ? and(eq(surges.projectId, projectId), eq(surges.clusterId, opts.clusterId), eq(surges.scope, 'cluster'))
    : eq(surges.projectId, projectId)
  const rows = await db
    .select()
    .from(surges)
    .where(filter)
    .orderBy(desc(surges.startedAt))
    .limit(opts.limit ?? 50)
    .all()
  return rows.map((s) => view(s, cooldownMs, opts.now ?? Date.now()))
}

/** Background job (at most hourly): counters older than two days are never read again. */
export async function pruneSurgeCounters(deps: Deps): Promise<void> {
  const now = deps.clock.now()
  if (now - deps.surgePrune.at < 3_600_000) return
  deps.surgePrune.at = now
  const cutoff = minuteOf(now) - 2 * 24 * 60
  await deps.db.write(async (tx) => {
    await tx.delete(surgeBuckets).where(lt(surgeBuckets.minute, cutoff))
    await tx.delete(surgeReporters).where(lt(surgeReporters.minute, cutoff))
  })
}
