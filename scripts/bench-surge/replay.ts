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

/** What a full replay leaves for detection: each row's cluster and that cluster's title at the time. */
export interface Trace {
  seed: number
  rows: number
  clusterOf: (string | null)[]
  titles: (string | null)[]
}

export async function replayWeek(
  seed: number,
  rows: Tagged[],
  start: number,
  settings: Record<string, unknown> | undefined,
): Promise<{ trace: Trace; raised: RaisedAlert[]; ms: number }> {
  const h = await openSurgeHarness({ start, settings })
  const trace: Trace = { seed, rows: rows.length, clusterOf: [], titles: [] }
  const raised: RaisedAlert[] = []
  const started = performance.now()
  try {
    await replayRows(h, rows, {
      onReport: async (i, clusterId) => {
        trace.clusterOf[i] = clusterId
        if (!clusterId) return
        const row = await h.deps.db.orm
          .select({ title: clusters.title })
          .from(clusters)
          .where(inArray(clusters.id, [clusterId]))
          .get()
        trace.titles[i] = row?.title ?? null
      },
      onAlert: (alert, row) => raised.push({ alert, row }),
    })
    return { trace, raised, ms: performance.now() - started }
  } finally {
    h.close()
  }
}

export async function detectFromTrace(
  rows: Tagged[],
  trace: Trace,
  start: number,
  settings: Record<string, unknown> | undefined,
): Promise<{ raised: RaisedAlert[]; ms: number }> {
  if (trace.rows !== rows.length) throw new Error(`trace of seed ${trace.seed} is for other rows (data or --rate)`)
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
      const clusterId = trace.clusterOf[i]
      if (r.deployRelease || !clusterId) return
      items.push({
        reportId: String(i),
        message: r.text,
        clusterId,
        clusterTitle: trace.titles[i] ?? '',
        reporterId: r.reporterId ?? null,
        release: r.release ?? null,
        createdAt: r.createdAt,
      })
    })
    const batch = new SurgeBatch(h.deps.db.orm, h.project, new Map())
    await batch.observe(items)
    const raised = [...batch.startedBy].flatMap(([id, surges]) => surges.map((alert) => ({ alert, row: Number(id) })))
    return { raised, ms: performance.now() - started }
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
