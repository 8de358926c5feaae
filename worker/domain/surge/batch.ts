// Surge detection for one project's reports in a pipeline batch: the counters every report touches
// (its cluster, its words, the project) are read in three statements up front (batch-load.ts), counted
// report by report in memory exactly as detect.ts decides, and written back in a few multi-row
// statements (batch-write.ts) in the batch's transaction, with the alerts it raised queued in the same
// transaction.
import type { InStatement } from '@libsql/client'
import type { Reader, Tx } from '../../db/client.js'
import { PROJECT_SCOPE } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import type { Project } from '../projects/index.js'
import { minuteOf, PROJECT_DAY_SCOPE, type ScopeSnapshot, type SurgeStateRow, type WindowCounts } from './counters.js'
import { latestDeployBefore, type Deploy } from './deploys.js'
import { observeReport, personOf, reporterKey, type ObservedReport, type Surge, type SurgeStore } from './detect.js'
import { notifySurge } from './notify.js'
import { surgeSettings } from './settings.js'
import { TOPIC_PREFIX, topicTerms } from './topics.js'
import {
  key,
  loadBuckets,
  loadPersons,
  loadSeen,
  loadStates,
  loadSurging,
  loadYesterday,
  PERSON_PREFIX,
} from './batch-load.js'
import { surgeStatements, type StartedSurge } from './batch-write.js'

export interface ClusterFacts {
  id: string
  title: string
  status: string
}

export interface SurgeItem extends Omit<ObservedReport, 'project'> {
  /** The cluster's title as this report left it, when the report set it (see clustering/batch.ts). */
  clusterTitle?: string
}

/** The longest window detection reads: the surge window, or the slow-burn window when that is on. */
const longestWindow = (s: ReturnType<typeof surgeSettings>) =>
  Math.max(s.windowMinutes, s.slow.enabled ? s.slow.windowMinutes : 0)

export class SurgeBatch implements SurgeStore {
  private readonly states = new Map<string, SurgeStateRow | null>()
  private readonly dirtyStates = new Set<string>()
  private readonly seen = new Map<string, number | null>()
  private readonly dirtySeen = new Map<string, [scope: string, reporter: string, minute: number]>()
  /** scope → minute → [reports, reporters last seen there]: the loaded window range plus this batch's changes */
  private readonly buckets = new Map<string, Map<number, [number, number]>>()
  /** person → the address they count as (detect.ts reporterOf) */
  private readonly persons = new Map<string, string>()
  private readonly deltas = new Map<string, [scope: string, minute: number, reports: number, reporters: number]>()
  private range: [number, number] = [0, -1]
  private activeLoaded = false
  private readonly started: StartedSurge[] = []
  private readonly extended = new Map<string, { lastHotAt: number; peak: number }>()
  private readonly ended = new Map<string, number>()
  /** Surges each report of the batch started, by report id. */
  readonly startedBy = new Map<string, Surge[]>()

  constructor(
    private readonly reader: Reader,
    private readonly project: Project,
    private readonly clusters: Map<string, ClusterFacts>,
  ) {}

  get surges(): Surge[] {
    return this.started.map((s) => s.surge)
  }

  /** Observes the reports in order (the SurgeStore calls come back here). */
  async observe(items: SurgeItem[]): Promise<void> {
    const settings = surgeSettings(this.project)
    if (!settings.enabled || !items.length) return
    await this.prefetch(items, settings)
    for (const item of items) {
      if (item.clusterId && item.clusterTitle !== undefined) {
        const c = this.clusters.get(item.clusterId)
        this.clusters.set(item.clusterId, { id: item.clusterId, title: item.clusterTitle, status: c?.status ?? 'open' })
      }
      const started = await observeReport(this, { ...item, project: this.project })
      if (started.length) this.startedBy.set(item.reportId, started)
    }
  }

  /** Everything the batch's reports will touch, in three statements. */
  private async prefetch(items: SurgeItem[], settings: ReturnType<typeof surgeSettings>): Promise<void> {
    const scopes = new Set<string>([PROJECT_SCOPE])
    const pairs = new Set<string>()
    let min = Infinity
    let max = -Infinity
    await loadPersons(
      this.reader,
      this.project.id,
      this.persons,
      items.map(personOf).filter((p): p is string => !!p),
    )
    for (const r of items) {
      const own = [PROJECT_SCOPE]
      if (settings.activity.enabled) own.push(PROJECT_DAY_SCOPE)
      if (r.clusterId) own.push(r.clusterId)
      if (settings.topic.enabled && r.message)
        for (const t of topicTerms(r.message, settings.topic.maxTerms)) own.push(TOPIC_PREFIX + t)
      const person = personOf(r)
      const address = reporterKey(r)
      // A person first seen in this batch counts from the address of their first report.
      if (person && !this.persons.has(person)) this.persons.set(person, address)
      const reporter = person ? this.persons.get(person)! : address
      for (const s of own) {
        scopes.add(s)
        pairs.add(key(s, reporter))
      }
      min = Math.min(min, r.createdAt)
      max = Math.max(max, r.createdAt)
    }
    this.range = [minuteOf(min) - longestWindow(settings) + 1, minuteOf(max)]
    const p = this.project.id
    await loadStates(this.reader, p, this.states, [...scopes])
    await loadSeen(
      this.reader,
      p,
      this.seen,
      [...pairs].map((k) => k.split('\u0000') as [string, string]),
    )
    await loadBuckets(this.reader, p, this.buckets, [...scopes], this.range)
    if (settings.activity.enabled) {
      const today = this.buckets.get(PROJECT_SCOPE)!
      await loadYesterday(this.reader, p, today, minuteOf(min), minuteOf(max), this.range[0])
    }
  }

  private addToBucket(scope: string, minute: number, reports: number, reporters: number): void {
    const k = key(scope, String(minute))
    const d = this.deltas.get(k)
    if (d) {
      d[2] += reports
      d[3] += reporters
    } else this.deltas.set(k, [scope, minute, reports, reporters])
    const b = this.buckets.get(scope)
    // Minutes outside the loaded range are never inside a window of this batch: only the write needs them.
    if (b && minute >= this.range[0] && minute <= this.range[1]) {
      const v = b.get(minute)
      if (v) {
        v[0] += reports
        v[1] += reporters
      } else b.set(minute, [reports, reporters])
    }
  }

  private windowOf(scope: string, minute: number, windowMinutes: number): WindowCounts {
    const b = this.buckets.get(scope)
    const out = { reports: 0, reporters: 0 }
    if (!b) return out
    for (let m = minute - windowMinutes + 1; m <= minute; m++) {
      const v = b.get(m)
      if (v) {
        out.reports += v[0]
        out.reporters += v[1]
      }
    }
    return out
  }

  // ---- SurgeStore ----

  async cluster(clusterId: string): Promise<ClusterFacts | undefined> {
    return this.clusters.get(clusterId)
  }

  /** As the engine's counters always did: this minute's bucket, the reporter's last minute, the decayed mass. */
  async reporterOf(address: string, person: string | null, at: number): Promise<string> {
    if (!person) return address
    await loadPersons(this.reader, this.project.id, this.persons, [person])
    if (!this.persons.has(person)) this.persons.set(person, address)
    const first = this.persons.get(person)!
    // Kept while the person keeps reporting (the row's minute is its last sighting).
    this.dirtySeen.set(key(PERSON_PREFIX + person, first), [PERSON_PREFIX + person, first, minuteOf(at)])
    return first
  }

  async countReport(
    scopes: { scope: string; tauMinutes: number }[],
    reporter: string,
    at: number,
    windows: { windowMinutes: number; slowMinutes: number },
  ): Promise<Map<string, ScopeSnapshot>> {
    const names = scopes.map((s) => s.scope)
    const minute = minuteOf(at)
    if (minute < this.range[0] + Math.max(windows.windowMinutes, windows.slowMinutes) - 1 || minute > this.range[1])
      throw new Error('surge batch: report outside the loaded window')
    const p = this.project.id
    await loadStates(this.reader, p, this.states, names)
    await loadSeen(
      this.reader,
      p,
      this.seen,
      names.map((s) => [s, reporter]),
    )
    await loadBuckets(this.reader, p, this.buckets, names, this.range)

    const fresh = new Set<string>()
    for (const s of names) {
      const last = this.seen.get(key(s, reporter))
      if (last === null || last === undefined || last < minute) fresh.add(s)
    }
    for (const s of fresh) {
      const last = this.seen.get(key(s, reporter))
      if (last !== null && last !== undefined) this.addToBucket(s, last, 0, -1)
      this.seen.set(key(s, reporter), minute)
      this.dirtySeen.set(key(s, reporter), [s, reporter, minute])
    }
    for (const s of names) this.addToBucket(s, minute, 1, fresh.has(s) ? 1 : 0)

    // Decayed mass: Σ exp(-Δt/τ) over all reports, kept as of `decayedAt`.
    for (const { scope, tauMinutes } of scopes) {
      const prev = this.states.get(scope)
      let next: SurgeStateRow
      if (!prev)
        next = {
          projectId: this.project.id,
          scope,
          mass: 1,
          decayedAt: at,
          firstSeenAt: at,
          activeSurgeId: null,
          lastHotAt: null,
        }
      else {
        // Reports replayed slightly out of order are added with their own (smaller) weight.
        const elapsed = (at - prev.decayedAt) / 60_000
        const mass =
          elapsed >= 0 ? prev.mass * Math.exp(-elapsed / tauMinutes) + 1 : prev.mass + Math.exp(elapsed / tauMinutes)
        next = { ...prev, mass, decayedAt: Math.max(at, prev.decayedAt) }
      }
      this.states.set(scope, next)
      this.dirtyStates.add(scope)
    }
    const out = new Map<string, ScopeSnapshot>()
    for (const s of names)
      out.set(s, {
        state: { ...this.states.get(s)! },
        counts: this.windowOf(s, minute, windows.windowMinutes),
        slowCounts: windows.slowMinutes ? this.windowOf(s, minute, windows.slowMinutes) : undefined,
      })
    return out
  }

  setSurgeState(scope: string, values: Partial<Pick<SurgeStateRow, 'activeSurgeId' | 'lastHotAt'>>): void {
    const st = this.states.get(scope)
    if (!st) return
    if (values.activeSurgeId !== undefined) st.activeSurgeId = values.activeSurgeId
    if (values.lastHotAt !== undefined) st.lastHotAt = values.lastHotAt
    this.dirtyStates.add(scope)
  }

  async surgingScopes(since: number): Promise<string[]> {
    if (!this.activeLoaded) {
      // The project's scopes with a surge on record (a handful), besides those the batch already read.
      await loadSurging(this.reader, this.project.id, this.states)
      this.activeLoaded = true
    }
    const out: string[] = []
    for (const [scope, st] of this.states) {
      if (scope !== PROJECT_SCOPE && st?.activeSurgeId && st.lastHotAt !== null && st.lastHotAt >= since)
        out.push(scope)
    }
    return out
  }

  async windowCounts(scopes: string[], minute: number, windowMinutes: number): Promise<WindowCounts> {
    await loadBuckets(this.reader, this.project.id, this.buckets, scopes, this.range)
    const out = { reports: 0, reporters: 0 }
    for (const s of scopes) {
      const w = this.windowOf(s, minute, windowMinutes)
      out.reports += w.reports
      out.reporters += w.reporters
    }
    return out
  }

  latestDeployBefore(at: number, lookbackMs: number): Promise<Deploy | undefined> {
    return latestDeployBefore(this.reader, this.project.id, at, lookbackMs)
  }

  extendSurge(surgeId: string, at: number, reports: number): void {
    const mine = this.started.find((s) => s.surge.id === surgeId)
    if (mine) {
      mine.surge.lastHotAt = at
      mine.surge.peakReports = Math.max(mine.surge.peakReports, reports)
      return
    }
    const e = this.extended.get(surgeId)
    this.extended.set(surgeId, { lastHotAt: at, peak: Math.max(e?.peak ?? 0, reports) })
  }

  endSurge(surgeId: string, endedAt: number): void {
    const mine = this.started.find((s) => s.surge.id === surgeId)
    if (mine) mine.surge.endedAt = endedAt
    else this.ended.set(surgeId, endedAt)
  }

  startSurge(surge: Surge, clusterTitle: string | undefined): void {
    this.started.push({ surge, clusterTitle })
  }

  // ---- the write (batch-write.ts) ----

  statements(): InStatement[] {
    return surgeStatements({
      projectId: this.project.id,
      dirtySeen: this.dirtySeen,
      deltas: this.deltas,
      dirtyStates: this.dirtyStates,
      states: this.states,
      extended: this.extended,
      ended: this.ended,
      started: this.started,
    })
  }

  /** Queues each new surge's alert for the project's webhooks (in the batch's transaction, after statements()). */
  async notify(tx: Tx, deps: Deps): Promise<void> {
    for (const { surge, clusterTitle } of this.started) await notifySurge(tx, deps, this.project, surge, clusterTitle)
  }
}
