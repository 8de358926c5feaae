// One pipeline batch: the oldest waiting reports, clustered and counted with the engine's state
// in memory, surge-checked, and written back — with the reports marked processed and the alerts
// queued — in ONE transaction. Either all of it commits or none of it does, so a report is
// processed exactly once whatever happens to the process.
import type { InStatement } from '@libsql/client'
import type { Reader } from '../../db/client.js'
import { multiRow } from '../../db/multi-row.js'
import { queryRows, runStatements } from '../../db/raw-sql.js'
import type { ClusterBatch } from '../clustering/index.js'
import type { Deps } from '../shared/index.js'
import { kickOutbox } from '../notifications/index.js'
import type { Project } from '../projects/index.js'
import { SurgeBatch, type ClusterFacts } from '../surge/index.js'
import type { Surge } from '../surge/index.js'
import { recurrenceStatements } from '../incidents/index.js'
import { readBatchInputs } from './inputs.js'
import { holdLeaseStatement } from './lease.js'
import type { PendingReport } from './pending.js'

export interface BatchSettings {
  limit: number
  /** This runner's name in the lease. */
  holder: string
  leaseMs: number
  exclusive: boolean
  /** Wall-clock time for the lease (a test or replay clock must not make a lease lapse). */
  wallNow(): number
  /** Called between chunks of reports so other work (HTTP requests) can run. */
  pause?: () => Promise<void>
  /** Tests only: awaited at each step (to stop a process there, or change state underneath). */
  onStep?: (step: BatchStep) => Promise<void>
}

/**
 * computed: nothing written yet; written: every statement ran, the transaction is not committed;
 * committed: durable, memory not yet updated.
 */
export type BatchStep = 'computed' | 'written' | 'committed'

export interface Processed {
  id: string
  projectId: string
  clusterId: string | null
  /** Surges this report started (it crossed the threshold). */
  surges?: Surge[]
}

export interface BatchOutcome {
  processed: Processed[]
  surges: Surge[]
  /** ms spent computing (reads and in-memory work) and writing */
  computeMs: number
  writeMs: number
}

/** The batch could not be written as computed: state moved underneath it. Compute it again. */
export class StaleBatch extends Error {
  constructor(
    message: string,
    readonly projectIds: string[] = [],
  ) {
    super(message)
  }
}

/** Another runner holds the lease (until `until`, wall-clock ms, when known). */
export class LeaseHeld extends Error {
  constructor(
    message: string,
    readonly until = 0,
  ) {
    super(message)
  }
}

interface ProjectWork {
  project: Project
  reports: PendingReport[]
  clusters: ClusterBatch
  surge: SurgeBatch
}

const now = () => performance.now()

export async function runBatch(deps: Deps, s: BatchSettings): Promise<BatchOutcome> {
  const reader = deps.db.orm
  const started = now()
  const { rows, projectIds, projects: byId, versions } = await readBatchInputs(deps, s.limit)
  if (!rows.length) return { processed: [], surges: [], computeMs: now() - started, writeMs: 0 }

  const work: ProjectWork[] = []
  const processed: Processed[] = []
  for (const projectId of projectIds) {
    const project = byId.get(projectId)
    const reports = rows.filter((r) => r.project_id === projectId)
    if (!project) {
      // A report of a project that no longer exists has nothing to join: mark it done.
      for (const r of reports) processed.push({ id: r.id, projectId, clusterId: null })
      continue
    }
    const clusters = deps.engine.batch(reader, projectId, versions.get(projectId)!)
    const assignments = await clusters.assign(
      reports.map((r) => ({
        reportId: r.id,
        projectId,
        message: r.message,
        route: r.route,
        release: r.release,
        category: r.category,
        reporterId: r.reporter_id,
        personKey: r.person_key,
        userAgent: r.user_agent,
        locale: r.locale,
        errors: (JSON.parse(r.errors) as (string | null)[]).filter((e): e is string => typeof e === 'string'),
        createdAt: Number(r.created_at),
      })),
      { pause: s.pause },
    )
    const surge = new SurgeBatch(
      reader,
      project,
      await clusterFacts(
        reader,
        assignments.filter((a) => !a.created).map((a) => a.clusterId),
      ),
    )
    await surge.observe(
      reports.map((r, i) => ({
        reportId: r.id,
        message: r.message,
        clusterId: assignments[i]!.clusterId,
        clusterTitle: assignments[i]!.title,
        reporterId: r.reporter_id,
        clientKey: r.client_key ?? undefined,
        personKey: r.person_key,
        email: r.email,
        release: r.release,
        createdAt: Number(r.created_at),
      })),
    )
    for (const a of assignments)
      processed.push({ id: a.reportId, projectId, clusterId: a.clusterId, surges: surge.startedBy.get(a.reportId) })
    work.push({ project, reports, clusters, surge })
  }
  const computed = now()
  await s.onStep?.('computed')

  const processedAt = deps.clock.now()
  const newVersions = await deps.db.write(async (tx) => {
    // The lease and the versions the batch was computed from are checked in the same request as
    // the writes (first two statements): if either moved, the job throws and its savepoint (or
    // transaction) takes every write back, so nothing of a refused or stale batch commits.
    const guard = [
      holdLeaseStatement(s.holder, s.wallNow(), s.leaseMs, s.exclusive),
      versionsStatement(work.map((w) => w.project.id)),
    ]
    const statements: InStatement[] = [...guard]
    const plans = work.map((w) => w.clusters.statements())
    for (const p of plans) statements.push(...p.clusters)
    const marks = multiRow(
      `UPDATE reports SET cluster_id = u.column2, processed_at = u.column3, client_key = NULL,
         incident_id = coalesce(reports.incident_id, (SELECT c.incident_id FROM clusters c WHERE c.id = u.column2))
       FROM (SELECT * FROM $VALUES WHERE column1 IS NOT NULL) AS u
       WHERE reports.id = u.column1 AND reports.processed_at IS NULL`,
      processed.map((p) => [p.id, p.clusterId, processedAt]),
      3,
      64,
    )
    const firstMark = statements.length
    statements.push(...marks)
    for (const p of plans) statements.push(...p.rest)
    // A report joining a resolved cluster reopens it, and its resolved incident "may be back".
    statements.push(
      ...recurrenceStatements(
        work.flatMap((w) => w.clusters.assignments.filter((x) => !x.created).map((x) => x.clusterId)),
        processedAt,
      ),
    )
    for (const w of work) statements.push(...w.surge.statements())
    for (const w of work) {
      statements.push({
        sql: `INSERT INTO engine_versions (project_id, version) VALUES (?, 1)
              ON CONFLICT (project_id) DO UPDATE SET version = version + 1 RETURNING version`,
        args: [w.project.id],
      })
    }
    let results: Awaited<ReturnType<typeof runStatements>>
    try {
      results = await runStatements(tx, statements)
    } catch (error) {
      // A write that failed because state moved (a cluster merged away…) is a stale batch, not a
      // bad report: ask the guard alone, and say which it was.
      // (If the guard cannot run either, the transaction is gone: the first error says why.)
      const again = await runStatements(tx, guard).catch(() => undefined)
      if (again) checkGuard(work, again)
      throw error
    }
    checkGuard(work, results)
    const marked = results.slice(firstMark, firstMark + marks.length).reduce((n, r) => n + r.rowsAffected, 0)
    // A report that is no longer waiting (erased, or processed by someone else) spoils the batch.
    if (marked !== processed.length)
      throw new StaleBatch(`${processed.length - marked} of the batch's reports are no longer waiting`)
    for (const w of work) await w.surge.notify(tx, deps)
    await s.onStep?.('written')
    return new Map(
      work.map((w, i) => [w.project.id, Number(results[results.length - work.length + i]!.rows[0]!.version)]),
    )
  })
  await s.onStep?.('committed')
  // Committed: the engine's memory learns what the batch wrote.
  for (const w of work) deps.engine.committed(w.clusters, newVersions.get(w.project.id)!)
  const surges = work.flatMap((w) => w.surge.surges)
  if (surges.length) kickOutbox(deps)
  return { processed, surges, computeMs: computed - started, writeMs: now() - computed }
}

const versionsStatement = (projectIds: string[]): InStatement => ({
  sql: 'SELECT v.project_id, v.version FROM json_each(?) j CROSS JOIN engine_versions v ON v.project_id = j.value',
  args: [JSON.stringify(projectIds)],
})

/** Throws unless the guard's results say the lease is held and no project's engine version moved. */
function checkGuard(work: ProjectWork[], [lease, versions]: { rows: Record<string, unknown>[] }[]): void {
  if (lease!.rows.length !== 1) throw new LeaseHeld('another runner holds the pipeline lease')
  const current = new Map(versions!.rows.map((r) => [String(r.project_id), Number(r.version)]))
  const moved = work.filter((w) => (current.get(w.project.id) ?? 0) !== w.clusters.version).map((w) => w.project.id)
  if (moved.length) throw new StaleBatch('engine state changed while the batch was computed', moved)
}

/** Title and status of existing clusters the batch's reports joined (surge detection needs both). */
async function clusterFacts(reader: Reader, ids: string[]): Promise<Map<string, ClusterFacts>> {
  const out = new Map<string, ClusterFacts>()
  const unique = [...new Set(ids)]
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await queryRows<ClusterFacts>(reader, {
      sql: 'SELECT c.id, c.title, c.status FROM json_each(?) j CROSS JOIN clusters c ON c.id = j.value',
      args: [JSON.stringify(unique.slice(i, i + 1000))],
    })
    for (const r of rows) out.set(r.id, r)
  }
  return out
}
