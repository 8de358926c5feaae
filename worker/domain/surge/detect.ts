/**
 * Surge detection, run for every report by the report pipeline, after clustering, in arrival
 * order. What it reads and writes goes through a `SurgeStore`: the pipeline's in-memory state for
 * the batch (surge/batch.ts), written back in the batch's one transaction.
 *
 * Each scope (the report's cluster, its words, and the whole project) keeps per-minute counters and an
 * exponentially decaying baseline. A scope is "hot" when the reports in the recent window are
 * - at least `minReports`, from at least `minReporters` different people,
 * - at least `ratio` × what the baseline expects for the window, and
 * - improbable under the baseline: Poisson P(X ≥ reports) ≤ `alpha`.
 * A cluster or word is also hot when its slow window (`slow`, 30 min) passes the slow thresholds:
 * a slow burn that never puts enough reports into one short window.
 * What the baseline expects follows busy hours (`activity`: a cluster's or word's by how much busier
 * the project is now than over the day, the project's by the same hour a day earlier), and within
 * `afterDeploy.minutes` after a deploy marker the project needs less evidence (`afterDeploy`).
 * The first hot window starts a surge: it is recorded (with the deploy it followed) and every
 * project webhook subscribed to `surge` gets one notification, in this same transaction. The
 * surge lasts while the scope stays hot and ends after `cooldownMinutes` without a hot window;
 * only then can that scope surge again, so one surge alerts once.
 * A project-wide surge that is explained by clusters already surging is not alerted again.
 * Reports in muted clusters are ignored entirely.
 */
import { PROJECT_SCOPE, type surges } from '../../db/schema/index.js'
import { newId } from '../shared/index.js'
import type { Project } from '../projects/index.js'
import { minuteOf, PROJECT_DAY_SCOPE, type ScopeSnapshot, type SurgeStateRow, type WindowCounts } from './counters.js'
import type { Deploy } from './deploys.js'
import { poissonTail } from './poisson.js'
import { surgeSettings, type ScopeThresholds, type SurgeSettings } from './settings.js'
import { TOPIC_PREFIX, topicTerms } from './topics.js'

export type Surge = typeof surges.$inferSelect
type SurgeScope = Surge['scope']

export interface ObservedReport {
  project: Project
  reportId: string
  /** The report text (its distinctive words are the topic scopes). */
  message?: string
  clusterId: string | null
  reporterId?: string | null
  email?: string | null
  /** Keyed hash of the client address (`surgeClientKey`), for reports that came over the public API. */
  clientKey?: string
  /** Who the report's person is (clustering/people.ts: identify() user id, else e-mail, else reporter id). */
  personKey?: string | null
  release?: string | null
  createdAt: number
}

/** What detection reads and changes; the pipeline holds it in memory for a batch (surge/batch.ts). */
export interface SurgeStore {
  /** The report's cluster as it stands after the report was clustered. */
  cluster(clusterId: string): Promise<{ id: string; title: string; status: string } | undefined>
  /**
   * Counts one report in every given scope; returns each scope's state and its counts in the
   * window and the slow window after it.
   */
  countReport(
    scopes: { scope: string; tauMinutes: number }[],
    reporter: string,
    at: number,
    windows: { windowMinutes: number; slowMinutes: number },
  ): Promise<Map<string, ScopeSnapshot>>
  /**
   * Who the report counts as: the address (reporterKey) where its person was first seen in the
   * counters' lifetime (two days), else its own. One signed-in customer on two networks is one;
   * one address inventing ids or users is one, since every new person it claims maps to it.
   */
  reporterOf(address: string, person: string | null, at: number): Promise<string>
  setSurgeState(scope: string, values: Partial<Pick<SurgeStateRow, 'activeSurgeId' | 'lastHotAt'>>): void
  /** Scopes other than the project with a surge still going on (hot since `since`). */
  surgingScopes(since: number): Promise<string[]>
  windowCounts(scopes: string[], minute: number, windowMinutes: number): Promise<WindowCounts>
  latestDeployBefore(at: number, lookbackMs: number): Promise<Deploy | undefined>
  /** A hot window of a surge going on: it lasts longer, and its peak may grow. */
  extendSurge(surgeId: string, at: number, reports: number): void
  endSurge(surgeId: string, endedAt: number): void
  /** Records a new surge; the store notifies the project's webhooks with it. */
  startSurge(surge: Surge, clusterTitle: string | undefined): void
}

export interface Evaluation {
  hot: boolean
  reports: number
  reporters: number
  /** Reports the baseline expects in the window. */
  expected: number
  /** Poisson P(X ≥ reports | expected). */
  pValue: number
}

/**
 * Who a report counts as. Over the public API the client picks its reporter id and e-mail, so
 * there one address (an IPv6 /64) is one reporter, whatever ids it sends: one script cannot be
 * "4 different people". People behind one NAT count as one — a surge needs several networks.
 * Reports added by support or the help-desk API (no client address) count by reporter id, else
 * e-mail, else the report itself.
 */
export function reporterKey(r: Pick<ObservedReport, 'reporterId' | 'email' | 'reportId' | 'clientKey'>): string {
  if (r.clientKey) return `a:${r.clientKey}`
  if (r.reporterId) return `r:${r.reporterId}`
  if (r.email) return `e:${r.email.trim().toLowerCase()}`
  return `x:${r.reportId}`
}

/**
 * The person behind a report as the product knows them: identify() user id (`u:`), else e-mail
 * (`e:`), else the browser's reporter id (clustering/people.ts). Client-chosen, so it never makes
 * a report count as a new person on its own; it only lets one person's reports from several
 * addresses (a laptop and a phone) count as one (SurgeStore.reporterOf).
 */
export function personOf(r: Pick<ObservedReport, 'personKey' | 'reporterId' | 'email'>): string | null {
  return r.personKey || r.reporterId || (r.email ? `e:${r.email.trim().toLowerCase()}` : null)
}

/** Pure threshold test for one scope's window against its baseline. */
export function evaluate(
  th: ScopeThresholds,
  windowMinutes: number,
  counts: { reports: number; reporters: number },
  state: Pick<SurgeStateRow, 'mass' | 'firstSeenAt'>,
  now: number,
  activity = 1,
): Evaluation {
  const ageMinutes = (now - state.firstSeenAt) / 60_000
  // The baseline is the decayed mass of reports before the window, divided by the effective
  // time it covers (τ·(1 − e^{−age/τ}) corrects for scopes younger than τ).
  const before = Math.max(0, state.mass - counts.reports)
  const tau = th.baselineMinutes
  const covered = tau * (1 - Math.exp(-Math.max(ageMinutes - windowMinutes, windowMinutes) / tau))
  const rate = Math.max(before / covered, th.floorPerHour / 60)
  const expected = rate * windowMinutes * activity
  const pValue = poissonTail(counts.reports, expected)
  const hot =
    ageMinutes >= th.warmupMinutes &&
    counts.reports >= th.minReports &&
    counts.reporters >= th.minReporters &&
    counts.reports >= th.ratio * expected &&
    pValue <= th.alpha
  return { hot, reports: counts.reports, reporters: counts.reporters, expected, pValue }
}

/**
 * How much busier the project is now than over the day (settings.activity): its recent rate (the
 * project baseline, 2 h) over its day-long rate, between 1 and `maxFactor`. Traffic has a daily
 * cycle (afternoons ~1.7× the day's average, nights ~0.3×) that a cluster's or a word's day-long
 * baseline does not see, so in a busy hour every scope looked hotter than it was; a problem's
 * share of the traffic is steadier than its count. Never below 1: a quiet night does not make a
 * scope easier to surge.
 */
export function activityOf(settings: SurgeSettings, snapshots: Map<string, ScopeSnapshot>, now: number): number {
  const project = snapshots.get(PROJECT_SCOPE)?.state
  const day = snapshots.get(PROJECT_DAY_SCOPE)?.state
  if (!project || !day) return 1
  const rateOf = (st: SurgeStateRow, tau: number) => {
    const age = Math.max((now - st.firstSeenAt) / 60_000, 1)
    return st.mass / (tau * (1 - Math.exp(-age / tau)))
  }
  // A young project has no day to compare with yet.
  if ((now - day.firstSeenAt) / 60_000 < settings.activity.minHistoryMinutes) return 1
  const ratio = rateOf(project, settings.project.baselineMinutes) / rateOf(day, settings.cluster.baselineMinutes)
  return Math.min(settings.activity.maxFactor, Math.max(1, ratio))
}

/**
 * The project's own busy hours: its 2-hour baseline lags a rising morning (at noon it still
 * expects the quieter hours before), so the project's expected count is raised to the rate of the
 * same hour a day earlier when that was higher (× 1 to `maxFactor`), once there is a day earlier.
 */
async function sameHourYesterday(
  store: SurgeStore,
  settings: SurgeSettings,
  state: SurgeStateRow,
  now: number,
): Promise<number> {
  const tau = settings.project.baselineMinutes
  const age = (now - state.firstSeenAt) / 60_000
  if (age < 24 * 60 + 30) return 1
  const before = await store.windowCounts([PROJECT_SCOPE], minuteOf(now) - 24 * 60 + 30, 60)
  const rate = state.mass / (tau * (1 - Math.exp(-age / tau)))
  return Math.min(settings.activity.maxFactor, Math.max(1, before.reports / 60 / rate))
}

/** Counts the report and returns the surges it started (usually none). */
export async function observeReport(store: SurgeStore, r: ObservedReport): Promise<Surge[]> {
  const settings = surgeSettings(r.project)
  if (!settings.enabled) return []
  const cluster = r.clusterId ? await store.cluster(r.clusterId) : undefined
  if (cluster?.status === 'muted') return []

  const reporter = await store.reporterOf(reporterKey(r), personOf(r), r.createdAt)
  const minute = minuteOf(r.createdAt)
  const started: Surge[] = []
  const scopes: { scope: string; kind: SurgeScope; th: ScopeThresholds; topic?: string }[] = []
  if (cluster) scopes.push({ scope: cluster.id, kind: 'cluster', th: settings.cluster })
  if (settings.topic.enabled && r.message) {
    for (const term of topicTerms(r.message, settings.topic.maxTerms))
      scopes.push({ scope: TOPIC_PREFIX + term, kind: 'topic', th: settings.topic, topic: term })
  }
  scopes.push({ scope: PROJECT_SCOPE, kind: 'project', th: settings.project })
  const slow = settings.slow
  const daily = settings.activity.enabled
  const counted = scopes.map((s) => ({ scope: s.scope, tauMinutes: s.th.baselineMinutes }))
  if (daily) counted.push({ scope: PROJECT_DAY_SCOPE, tauMinutes: settings.cluster.baselineMinutes })
  const snapshots = await store.countReport(counted, reporter, r.createdAt, {
    windowMinutes: settings.windowMinutes,
    slowMinutes: slow.enabled ? slow.windowMinutes : 0,
  })

  const cooldownMs = settings.cooldownMinutes * 60_000
  const ongoingScopes = new Set(
    [...snapshots]
      .filter(
        ([, v]) => v.state.activeSurgeId && v.state.lastHotAt !== null && r.createdAt - v.state.lastHotAt <= cooldownMs,
      )
      .map(([k]) => k),
  )
  const busy = daily ? activityOf(settings, snapshots, r.createdAt) : 1
  let projectTh = settings.project
  for (const s of scopes) {
    const { state, counts, slowCounts } = snapshots.get(s.scope)!
    const activity =
      s.kind === 'project' ? (daily ? await sameHourYesterday(store, settings, state, r.createdAt) : 1) : busy
    let verdict = evaluate(s.th, settings.windowMinutes, counts, state, r.createdAt, activity)
    let windowMinutes = settings.windowMinutes
    // Right after a deploy the project needs less evidence (settings.afterDeploy).
    if (!verdict.hot && s.kind === 'project' && settings.afterDeploy.enabled) {
      const th = afterDeployThresholds(settings)
      const relaxed = evaluate(th, settings.windowMinutes, counts, state, r.createdAt, activity)
      if (relaxed.hot && (await store.latestDeployBefore(r.createdAt, settings.afterDeploy.minutes * 60_000))) {
        verdict = relaxed
        projectTh = th
      }
    }
    // A slow burn: no short window is extreme, but the longer one is far above the baseline.
    if (!verdict.hot && slow.enabled && s.kind !== 'project' && slowCounts) {
      const long = evaluate(
        { ...s.th, minReports: slow.minReports, minReporters: slow.minReporters, ratio: slow.ratio, alpha: slow.alpha },
        slow.windowMinutes,
        slowCounts,
        state,
        r.createdAt,
        activity,
      )
      if (long.hot) {
        verdict = long
        windowMinutes = slow.windowMinutes
      }
    }
    // A cluster whose title has no distinctive word ("the page is not working") is no problem of
    // its own: its reports surge in their words or the project.
    if (verdict.hot && s.kind === 'cluster' && cluster && topicTerms(cluster.title).length === 0)
      verdict = { ...verdict, hot: false }
    const ongoing = state.activeSurgeId && state.lastHotAt !== null && r.createdAt - state.lastHotAt <= cooldownMs

    if (!verdict.hot) {
      if (state.activeSurgeId && !ongoing) endSurge(store, s.scope, state, cooldownMs)
      continue
    }
    if (ongoing) {
      store.setSurgeState(s.scope, { lastHotAt: r.createdAt })
      store.extendSurge(state.activeSurgeId!, r.createdAt, counts.reports)
      continue
    }
    if (s.kind === 'project') {
      verdict = await unexplainedByClusters(store, settings, projectTh, counts, state, minute, r.createdAt, activity)
      windowMinutes = settings.windowMinutes
      if (!verdict.hot) continue
    }
    if (state.activeSurgeId) endSurge(store, s.scope, state, cooldownMs)
    // One wave, one alert: a cluster or a word is not news when another scope of this same report
    // (its cluster, another of its words, the project) already alerted and is still going on.
    if (
      s.kind !== 'project' &&
      (started.length > 0 || scopes.some((o) => o.scope !== s.scope && ongoingScopes.has(o.scope)))
    )
      continue
    started.push(await startSurge(store, r, settings, s.kind, cluster, verdict, windowMinutes, s.topic))
  }
  return started
}

/**
 * A project surge whose extra reports all sit in clusters (or a topic) that already alerted is
 * not news. Topics overlap (a report counts for each of its words), so only the largest counts.
 */
async function unexplainedByClusters(
  store: SurgeStore,
  settings: SurgeSettings,
  th: ScopeThresholds,
  counts: { reports: number; reporters: number },
  state: SurgeStateRow,
  minute: number,
  now: number,
  activity: number,
): Promise<Evaluation> {
  const surging = await store.surgingScopes(now - settings.cooldownMinutes * 60_000)
  const clusterScopes = surging.filter((s) => !s.startsWith(TOPIC_PREFIX))
  let explained = (await store.windowCounts(clusterScopes, minute, settings.windowMinutes)).reports
  let topTopic = 0
  for (const s of surging) {
    if (s.startsWith(TOPIC_PREFIX))
      topTopic = Math.max(topTopic, (await store.windowCounts([s], minute, settings.windowMinutes)).reports)
  }
  explained = Math.min(counts.reports, explained + topTopic)
  const rest = { reports: counts.reports - explained, reporters: counts.reporters }
  // The baseline mass must not count the explained reports as "before the window" either.
  return evaluate(th, settings.windowMinutes, rest, { ...state, mass: state.mass - explained }, now, activity)
}

/** The project's thresholds within `afterDeploy.minutes` of a deploy marker. */
function afterDeployThresholds(settings: SurgeSettings): ScopeThresholds {
  const { minReports, minReporters, ratio, alpha } = settings.afterDeploy
  return { ...settings.project, minReports, minReporters, ratio, alpha }
}

function endSurge(store: SurgeStore, scope: string, state: SurgeStateRow, cooldownMs: number) {
  store.endSurge(state.activeSurgeId!, (state.lastHotAt ?? 0) + cooldownMs)
  store.setSurgeState(scope, { activeSurgeId: null })
}

async function startSurge(
  store: SurgeStore,
  r: ObservedReport,
  settings: SurgeSettings,
  kind: SurgeScope,
  cluster: { id: string; title: string } | undefined,
  verdict: Evaluation,
  windowMinutes: number,
  topic?: string,
): Promise<Surge> {
  const deploy = await store.latestDeployBefore(r.createdAt, settings.deployLookbackHours * 3_600_000)
  const surge: Surge = {
    id: newId('srg', r.createdAt),
    projectId: r.project.id,
    scope: kind,
    clusterId: kind === 'project' ? null : (cluster?.id ?? null),
    topic: topic ?? null,
    startedAt: r.createdAt,
    reports: verdict.reports,
    reporters: verdict.reporters,
    expected: verdict.expected,
    windowMinutes,
    release: r.release ?? null,
    deployId: deploy?.id ?? null,
    deployRelease: deploy?.release ?? null,
    deployedAt: deploy?.createdAt ?? null,
    endedAt: null,
    lastHotAt: r.createdAt,
    peakReports: verdict.reports,
  }
  const scope = kind === 'cluster' ? cluster!.id : kind === 'topic' ? TOPIC_PREFIX + topic : PROJECT_SCOPE
  store.startSurge(surge, cluster?.title)
  store.setSurgeState(scope, { activeSurgeId: surge.id, lastHotAt: r.createdAt })
  return surge
}
