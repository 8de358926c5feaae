// bench:surge's two ways to run a simulated week:
// - `replayWeek`: every row through the server's own intake, report pipeline (clustering + surge
//   detection) and background jobs on a real libSQL file with a simulated clock (the figures);
// - `detectFromTrace`: surge detection alone, on the cluster each report got in a full replay
//   (saved with --trace DIR), for trying detection rules and settings in seconds (--from-trace DIR).
//   It runs the pipeline's own SurgeBatch over the week as one batch; what it leaves out is
//   refinement's cluster merges (which fold counters, surge/counters.ts), so a figure from it is
//   checked with a full replay before it is quoted.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { inArray } from 'drizzle-orm'
import { clusters } from '../../worker/db/schema/index.js'
import { SurgeBatch, type SurgeItem } from '../../worker/domain/surge/batch.js'
import { recordDeploy } from '../../worker/domain/surge/deploys.js'
import { openSurgeHarness, replayRows } from '../surge-replay.js'
import type { RaisedAlert } from './score.js'
import type { Tagged } from './week.js'

/**
 * What a full replay leaves for detection: each report's cluster and that cluster's title at the
 * time, in report order (deploy markers left out, so adding or moving them keeps a trace valid).
 */
export interface Trace {
  seed: number
  reports: number
  clusterOf: (string | null)[]
  titles: (string | null)[]
}

/** Trace entries (by report) → per row of the week. */
export function perRow(rows: Tagged[], list: (string | null)[]): (string | null)[] {
  let k = 0
  return rows.map((r) => (r.deployRelease ? null : (list[k++] ?? null)))
}

export async function replayWeek(
  seed: number,
  rows: Tagged[],
  start: number,
  settings: Record<string, unknown> | undefined,
): Promise<{ trace: Trace; clusterOf: (string | null)[]; raised: RaisedAlert[]; ms: number }> {
  const h = await openSurgeHarness({ start, settings })
  const clusterOf: (string | null)[] = []
  const titles: (string | null)[] = []
  const raised: RaisedAlert[] = []
  const started = performance.now()
  try {
    await replayRows(h, rows, {
      onReport: async (i, clusterId) => {
        clusterOf[i] = clusterId
        if (!clusterId) return
        const row = await h.deps.db.orm
          .select({ title: clusters.title })
          .from(clusters)
          .where(inArray(clusters.id, [clusterId]))
          .get()
        titles[i] = row?.title ?? null
      },
      onAlert: (alert, row) => raised.push({ alert, row }),
    })
    const reports = rows.flatMap((r, i) => (r.deployRelease ? [] : [i]))
    const trace: Trace = {
      seed,
      reports: reports.length,
      clusterOf: reports.map((i) => clusterOf[i] ?? null),
      titles: reports.map((i) => titles[i] ?? null),
    }
    return { trace, clusterOf: perRow(rows, trace.clusterOf), raised, ms: performance.now() - started }
  } finally {
    h.close()
  }
}

export async function detectFromTrace(
  rows: Tagged[],
  trace: Trace,
  start: number,
  settings: Record<string, unknown> | undefined,
): Promise<{ clusterOf: (string | null)[]; raised: RaisedAlert[]; ms: number }> {
  const reportRows = rows.filter((r) => !r.deployRelease).length
  if (trace.reports !== reportRows)
    throw new Error(`the trace of seed ${trace.seed} is for other reports (data, --rate)`)
  const clusterOf = perRow(rows, trace.clusterOf)
  const titles = perRow(rows, trace.titles)
  const h = await openSurgeHarness({ start, settings })
  const started = performance.now()
  try {
    for (const r of rows) {
      if (!r.deployRelease) continue
      h.clock.set(r.createdAt)
      await recordDeploy(h.deps, h.project.id, { release: r.deployRelease })
    }
    const items: SurgeItem[] = []
    rows.forEach((r, i) => {
      const clusterId = clusterOf[i]
      if (r.deployRelease || !clusterId) return
      items.push({
        reportId: String(i),
        message: r.text,
        clusterId,
        clusterTitle: titles[i] ?? '',
        reporterId: r.reporterId ?? null,
        release: r.release ?? null,
        createdAt: r.createdAt,
      })
    })
    const batch = new SurgeBatch(h.deps.db.orm, h.project, new Map())
    await batch.observe(items)
    const raised = [...batch.startedBy].flatMap(([id, surges]) => surges.map((alert) => ({ alert, row: Number(id) })))
    return { clusterOf, raised, ms: performance.now() - started }
  } finally {
    h.close()
  }
}

const traceFile = (dir: string, seed: number) => join(dir, `week-${seed}.json`)

export function saveTrace(dir: string, trace: Trace): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(traceFile(dir, trace.seed), JSON.stringify(trace))
}

export function loadTrace(dir: string, seed: number): Trace {
  return JSON.parse(readFileSync(traceFile(dir, seed), 'utf8')) as Trace
}
