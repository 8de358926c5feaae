// bench:surge's scoring: which injected surge (if any) each alert is about, the delay from a surge's
// onset to its first alert, the false alerts, and the alerts on a generic word alone.
import { topicTerms } from '../../worker/domain/surge/topics.js'
import type { Alert } from '../surge-replay.js'
import { GENERIC_CHECK } from './data.js'
import type { Injected, Tagged } from './week.js'

const MIN = 60_000

/** An alert and the row whose report raised it. */
export interface RaisedAlert {
  alert: Alert
  row: number
}

export interface InjectedResult extends Injected {
  delayMs: number | null
  alerts: number
  clusters: number
  topShare: number
  scopes: string[]
}

export interface WeekResult {
  seed: number
  injected: InjectedResult[]
  falseAlerts: { alert: Alert; why: string }[]
  alerts: number
  /** Topic alerts on a word the issue names as generic (page, site, app, 页面 …). */
  genericAlerts: Alert[]
  reports: number
  msPerReport: number
}

export function scoreWeek(
  seed: number,
  rows: Tagged[],
  injected: Injected[],
  clusterOf: (string | null)[],
  raised: RaisedAlert[],
  ms: number,
): WeekResult {
  const attributed = new Map<number, number[]>()
  const scopesOf = new Map<number, string[]>()
  const falseAlerts: WeekResult['falseAlerts'] = []
  const genericAlerts: Alert[] = []
  for (const { alert, row: i } of raised) {
    if (alert.scope === 'topic' && GENERIC_CHECK.has(alert.topic!)) genericAlerts.push(alert)
    // An alert looks at its own window (a slow-burn alert at its longer one).
    const windowMs = alert.windowMinutes * MIN
    // Which injected surge (if any) is this alert about? Look at the reports in its window.
    const inWindow: number[] = []
    for (let j = i; j >= 0 && rows[j]!.createdAt > alert.startedAt - windowMs; j--) {
      if (rows[j]!.deployRelease) continue
      const about =
        alert.scope === 'project' ||
        (alert.scope === 'cluster'
          ? clusterOf[j] === alert.clusterId
          : topicTerms(rows[j]!.text).includes(alert.topic!))
      if (about) inWindow.push(rows[j]!.tag)
    }
    const counts = new Map<number, number>()
    for (const tag of inWindow) if (tag >= 0) counts.set(tag, (counts.get(tag) ?? 0) + 1)
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]
    const share = best ? best[1] / inWindow.length : 0
    // A cluster or topic alert is about a surge when most of its window is that surge; a
    // project alert when a good part of the whole window is.
    if (best && share >= (alert.scope === 'project' ? 0.3 : 0.5)) {
      if (!attributed.has(best[0])) attributed.set(best[0], [])
      attributed.get(best[0])!.push(alert.startedAt)
      if (!scopesOf.has(best[0])) scopesOf.set(best[0], [])
      const w = alert.windowMinutes === 5 ? '' : ` ${alert.windowMinutes}m`
      scopesOf.get(best[0])!.push((alert.scope === 'topic' ? `topic “${alert.topic}”` : alert.scope) + w)
    } else {
      const why = `${inWindow.length} reports in window, ${Math.round(share * 100)}% from an injected surge`
      falseAlerts.push({ alert, why })
    }
  }
  const reports = rows.filter((r) => !r.deployRelease).length
  return {
    seed,
    injected: injected.map((s, k) => {
      const times = attributed.get(k) ?? []
      // How the engine grouped this surge's reports (a surge split over many clusters is harder to see).
      const byCluster = new Map<string, number>()
      rows.forEach((r, i) => {
        if (r.tag === k) byCluster.set(clusterOf[i] ?? '', (byCluster.get(clusterOf[i] ?? '') ?? 0) + 1)
      })
      const top = Math.max(0, ...byCluster.values())
      return {
        ...s,
        delayMs: times.length ? Math.min(...times) - s.onset : null,
        alerts: times.length,
        clusters: byCluster.size,
        topShare: top / Math.max(1, s.reports),
        scopes: scopesOf.get(k) ?? [],
      }
    }),
    falseAlerts,
    genericAlerts,
    alerts: raised.length,
    reports,
    msPerReport: ms / reports,
  }
}

const fmtDelay = (ms: number | null) => (ms === null ? 'missed' : `${(ms / MIN).toFixed(1)} min`)

export function printWeek(w: number, r: WeekResult): void {
  console.log(
    `\nweek ${w + 1} (seed ${r.seed}): ${r.reports} reports, ${r.alerts} alerts, ` +
      `${r.msPerReport.toFixed(2)} ms per report`,
  )
  console.log(
    '| injected surge | kind | reports | clusters they went to (largest share) ' +
      '| first alert after onset | alerts about it (scopes) |',
  )
  console.log('|---|---|---|---|---|---|')
  for (const s of r.injected) {
    const spread = `${s.clusters} (${Math.round(s.topShare * 100)}%)`
    console.log(
      `| ${s.name} (${s.label}) | ${s.kind} | ${s.reports} | ${spread} | ${fmtDelay(s.delayMs)} ` +
        `| ${s.alerts} (${s.scopes.join(', ')}) |`,
    )
  }
  console.log(`false alerts: ${r.falseAlerts.length}`)
  for (const f of r.falseAlerts) {
    const a = f.alert
    console.log(
      `  - ${new Date(a.startedAt).toISOString()} ${a.scope} ${a.topic ?? a.clusterId ?? ''} ${a.windowMinutes}m ` +
        `reports=${a.reports} reporters=${a.reporters} expected=${a.expected.toFixed(2)} (${f.why})`,
    )
  }
}

export function printSummary(all: WeekResult[]): void {
  const every = all.flatMap((r) => r.injected)
  const line = (label: string, list: InjectedResult[]) => {
    const caught = list.map((s) => s.delayMs).filter((d): d is number => d !== null)
    const within = caught.filter((d) => d <= 5 * MIN).length
    const worst = fmtDelay(caught.length < list.length ? null : Math.max(...caught))
    console.log(
      `  ${label}: ${caught.length}/${list.length} alerted; ` +
        `within 5 min: ${within}/${list.length}; worst delay ${worst}`,
    )
  }
  console.log(`\nsummary over ${all.length} simulated week(s):`)
  line('every injected surge', every)
  for (const name of [...new Set(every.map((s) => s.name))])
    line(
      `  ${name}`,
      every.filter((s) => s.name === name),
    )
  const generic = all.flatMap((r) => r.genericAlerts)
  console.log(`  alerts on a generic word alone: ${generic.length}${generic.map((a) => ` “${a.topic}”`).join('')}`)
  const falseAlerts = all.reduce((n, r) => n + r.falseAlerts.length, 0)
  console.log(
    `  false alerts: ${falseAlerts} in ${all.length} week(s) = ${(falseAlerts / all.length).toFixed(2)} per week`,
  )
  console.log(`  ms per report: ${(all.reduce((n, r) => n + r.msPerReport, 0) / all.length).toFixed(2)}`)
}
