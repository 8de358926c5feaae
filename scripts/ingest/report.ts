// The tables `npm run bench:ingest` prints (Markdown, as BENCHMARKS.md quotes them) and the
// issue-12 targets checked against them.
import type { LevelResult } from './load.js'

const ratio = (e: LevelResult, b: LevelResult) => (b.rps ? `${(e.rps / b.rps).toFixed(2)}×` : '–')
const fixed = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(2))

/** Earshot against the bare ceiling, level by level (same levels, same run). */
export function comparisonTable(earshot: LevelResult[], bare: LevelResult[], onSqld: boolean): string {
  const sqld = onSqld ? ' sqld CPU |' : ''
  const sqldRule = onSqld ? '---:|' : ''
  const rows = [
    `| connections | Earshot req/s | p50 ms | p99 ms | server CPU ms/report |${sqld} bare req/s | p50 ms | p99 ms ` +
      `| server CPU ms/report |${sqld} Earshot ÷ bare (req/s) |`,
    `|---:|---:|---:|---:|---:|${sqldRule}---:|---:|---:|---:|${sqldRule}---:|`,
  ]
  for (const [i, e] of earshot.entries()) {
    const b = bare[i]!
    const es = onSqld ? ` ${fixed(e.sqldCpuMsPerReport)} |` : ''
    const bs = onSqld ? ` ${fixed(b.sqldCpuMsPerReport)} |` : ''
    rows.push(
      `| ${e.connections} | ${e.rps} | ${e.p50} | ${e.p99} | ${fixed(e.cpuMsPerReport)} |${es} ` +
        `${b.rps} | ${b.p50} | ${b.p99} | ${fixed(b.cpuMsPerReport)} |${bs} ${ratio(e, b)} |`,
    )
  }
  return rows.join('\n')
}

export function earshotOnly(earshot: LevelResult[]): string {
  return earshot
    .map(
      (e) =>
        `earshot at ${e.connections} connections: ${e.rps} req/s, p50 ${e.p50} ms, p99 ${e.p99} ms, ` +
        `${fixed(e.cpuMsPerReport)} ms CPU per report` +
        (e.sqldCpuMsPerReport !== undefined ? ` (+ sqld ${fixed(e.sqldCpuMsPerReport)})` : ''),
    )
    .join('\n')
}

export function lagTable(earshot: LevelResult[]): string {
  return [
    '| connections | lag p50 ms | lag p99 ms | lag max ms | all clustered after load stops, ms |',
    '|---:|---:|---:|---:|---:|',
    ...earshot.map((e) => `| ${e.connections} | ${e.lag!.p50} | ${e.lag!.p99} | ${e.lag!.max} | ${e.lag!.settleMs} |`),
  ].join('\n')
}

/** Intake-only runs: the pipeline over each level's reports once the load stopped. */
export function drainTable(earshot: LevelResult[]): string {
  return [
    '| connections | intake CPU ms/report | reports drained | drain ms | reports/s | pipeline CPU ms/report |',
    '|---:|---:|---:|---:|---:|---:|',
    ...earshot.map((e) => {
      const d = e.drain!
      const perSecond = Math.round(d.processed / Math.max(0.001, d.ms / 1000))
      return (
        `| ${e.connections} | ${fixed(e.cpuMsPerReport)} | ${d.processed} | ${d.ms} | ${perSecond} ` +
        `| ${fixed(d.cpuMsPerReport)} |`
      )
    }),
  ].join('\n')
}

export function failures(side: string, results: LevelResult[]): string[] {
  return results
    .filter((r) => r.non2xx || r.errors)
    .map(
      (f) =>
        `  note: ${side} at ${f.connections} connections had ${f.non2xx} non-2xx answers ` +
        `and ${f.errors} errors/timeouts`,
    )
}

/** Issue 12's figures, met or not (ratios at ≥ 16 connections; p99 at the highest level). */
export function targets(earshot: LevelResult[], bare: LevelResult[]): string[] {
  const last = earshot.at(-1)!
  const lastBare = bare.at(-1)!
  const heavy = earshot.map((e, i) => ({ c: e.connections, e, b: bare[i]! })).filter((l) => l.c >= 16)
  const p99Bound = Math.max(50, 2 * lastBare.p99)
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met')
  const out = [
    `Earshot ≥ 0.9 × bare req/s at 16 and 64 connections: ${met(heavy.every((l) => l.e.rps >= 0.9 * l.b.rps))} ` +
      `(${heavy.map((l) => `${ratio(l.e, l.b)} at ${l.c}`).join(', ')})`,
    `p99 ≤ max(50 ms, 2 × bare p99) = ${p99Bound} ms at ${last.connections} connections: ` +
      `${met(last.p99 <= p99Bound)} (${last.p99} ms; bare ${lastBare.p99} ms)`,
  ]
  if (earshot.every((e) => e.lag)) {
    const lags = earshot.map((e) => e.lag!)
    out.push(
      `clustering lag p99 ≤ 1 s at every level: ${met(lags.every((l) => l.p99 <= 1000))} ` +
        `(${lags.map((l) => `${l.p99} ms`).join(', ')})`,
      `every report clustered ≤ 2 s after the load stops: ${met(lags.every((l) => l.settleMs <= 2000))} ` +
        `(${lags.map((l) => `${l.settleMs} ms`).join(', ')})`,
    )
  }
  return out.map((t) => `target: ${t}`)
}
