// Surge detection for one project's reports in a pipeline batch: the counters every report touches
// (its cluster, its words, the project) are read in three statements up front, counted report by
// report in memory exactly as detect.ts decides, and written back in a few multi-row statements
// in the batch's transaction, with the alerts it raised queued in the same transaction.
import type { InStatement, InValue } from '@libsql/client'
import type { Reader, Tx } from '../../db/client.js'
import { inKeyOrder, multiRow } from '../../db/multi-row.js'
import { queryRows } from '../../db/raw-sql.js'
import { PROJECT_SCOPE } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import type { Project } from '../projects/index.js'
import { minuteOf, PROJECT_DAY_SCOPE, type ScopeSnapshot, type SurgeStateRow, type WindowCounts } from './counters.js'
import { latestDeployBefore, type Deploy } from './deploys.js'
import { observeReport, personOf, reporterKey, type ObservedReport, type Surge, type SurgeStore } from './detect.js'
import { notifySurge } from './notify.js'
import { surgeSettings } from './settings.js'
import { TOPIC_PREFIX, topicTerms } from './topics.js'

export interface ClusterFacts {
  id: string
  title: string
  status: string
}

export interface SurgeItem extends Omit<ObservedReport, 'project'> {
  /** The cluster's title as this report left it, when the report set it (see clustering/batch.ts). */
  clusterTitle?: string
}

interface StateRow {
  scope: string
  mass: number
  decayed_at: number
  first_seen_at: number
  active_surge_id: string | null
  last_hot_at: number | null
}

const key = (scope: string, reporter: string) => scope + '\u0000' + reporter
const DAY_MINUTES = 24 * 60

/**
 * Where a person's first address is kept: a surge_reporters row (scope `@` + person, reporter =
 * that address, minute = last seen), pruned with the counters after two days without a sighting.
 */
const PERSON_PREFIX = '@'

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
  private readonly started: { surge: Surge; clusterTitle: string | undefined }[] = []
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
    await this.loadPersons(items.map(personOf).filter((p): p is string => !!p))
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
    await this.loadStates([...scopes])
    await this.loadSeen([...pairs].map((p) => p.split('\u0000') as [string, string]))
    await this.loadBuckets([...scopes])
    if (settings.activity.enabled) await this.loadYesterday(minuteOf(min), minuteOf(max))
  }

  private async loadPersons(persons: string[]): Promise<void> {
    const missing = [...new Set(persons)].filter((p) => !this.persons.has(p))
    for (let i = 0; i < missing.length; i += 1000) {
      const chunk = missing.slice(i, i + 1000).map((p) => PERSON_PREFIX + p)
      const rows = await queryRows<{ scope: string; reporter: string }>(this.reader, {
        sql: `SELECT s.scope, min(s.reporter) AS reporter FROM json_each(?) j
              CROSS JOIN surge_reporters s ON s.project_id = ? AND s.scope = j.value GROUP BY s.scope`,
        args: [JSON.stringify(chunk), this.project.id],
      })
      for (const r of rows) this.persons.set(r.scope.slice(PERSON_PREFIX.length), r.reporter)
    }
  }

  private async loadStates(scopes: string[]): Promise<void> {
    const missing = scopes.filter((s) => !this.states.has(s))
    for (let i = 0; i < missing.length; i += 1000) {
      const chunk = missing.slice(i, i + 1000)
      const rows = await queryRows<StateRow>(this.reader, {
        sql: `SELECT s.scope, s.mass, s.decayed_at, s.first_seen_at, s.active_surge_id, s.last_hot_at
              FROM json_each(?) j
              CROSS JOIN surge_state s ON s.project_id = ? AND s.scope = j.value`,
        args: [JSON.stringify(chunk), this.project.id],
      })
      for (const s of chunk) this.states.set(s, null)
      for (const r of rows) this.states.set(r.scope, this.rowOf(r))
    }
  }

  private rowOf(r: StateRow): SurgeStateRow {
    return {
      projectId: this.project.id,
      scope: r.scope,
      mass: Number(r.mass),
      decayedAt: Number(r.decayed_at),
      firstSeenAt: Number(r.first_seen_at),
      activeSurgeId: r.active_surge_id,
      lastHotAt: r.last_hot_at === null ? null : Number(r.last_hot_at),
    }
  }

  private async loadSeen(pairs: [string, string][]): Promise<void> {
    const missing = pairs.filter(([s, r]) => !this.seen.has(key(s, r)))
    for (let i = 0; i < missing.length; i += 1000) {
      const chunk = missing.slice(i, i + 1000)
      const rows = await queryRows<{ scope: string; reporter: string; minute: number }>(this.reader, {
        sql: `SELECT s.scope, s.reporter, s.minute FROM json_each(?) j
              CROSS JOIN surge_reporters s
                ON s.project_id = ? AND s.scope = j.value ->> 0 AND s.reporter = j.value ->> 1`,
        args: [JSON.stringify(chunk), this.project.id],
      })
      for (const [s, r] of chunk) this.seen.set(key(s, r), null)
      for (const r of rows) this.seen.set(key(r.scope, r.reporter), Number(r.minute))
    }
  }

  private async loadBuckets(scopes: string[]): Promise<void> {
    const missing = scopes.filter((s) => !this.buckets.has(s))
    for (let i = 0; i < missing.length; i += 1000) {
      const chunk = missing.slice(i, i + 1000)
      const rows = await queryRows<{ scope: string; minute: number; reports: number; reporters_last: number }>(
        this.reader,
        {
          sql: `SELECT b.scope, b.minute, b.reports, b.reporters_last FROM json_each(?) j
              CROSS JOIN surge_buckets b ON b.project_id = ? AND b.scope = j.value AND b.minute BETWEEN ? AND ?`,
          args: [JSON.stringify(chunk), this.project.id, this.range[0], this.range[1]],
        },
      )
      for (const s of chunk) this.buckets.set(s, new Map())
      for (const r of rows)
        this.buckets.get(r.scope)!.set(Number(r.minute), [Number(r.reports), Number(r.reporters_last)])
    }
  }

  /** The project's buckets around the same time a day earlier (detect.ts: the project's busy hours). */
  private async loadYesterday(first: number, last: number): Promise<void> {
    const b = this.buckets.get(PROJECT_SCOPE)!
    const rows = await queryRows<{ minute: number; reports: number; reporters_last: number }>(this.reader, {
      sql: `SELECT minute, reports, reporters_last FROM surge_buckets
            WHERE project_id = ? AND scope = ? AND minute BETWEEN ? AND ?`,
      args: [
        this.project.id,
        PROJECT_SCOPE,
        first - DAY_MINUTES - 30,
        Math.min(last - DAY_MINUTES + 30, this.range[0] - 1),
      ],
    })
    for (const r of rows)
      if (!b.has(Number(r.minute))) b.set(Number(r.minute), [Number(r.reports), Number(r.reporters_last)])
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
    await this.loadPersons([person])
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
    await this.loadStates(names)
    await this.loadSeen(names.map((s) => [s, reporter]))
    await this.loadBuckets(names)

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
      const rows = await queryRows<StateRow>(this.reader, {
        sql: `SELECT scope, mass, decayed_at, first_seen_at, active_surge_id, last_hot_at FROM surge_state
              WHERE project_id = ? AND active_surge_id IS NOT NULL AND scope != ?`,
        args: [this.project.id, PROJECT_SCOPE],
      })
      for (const r of rows) if (!this.states.has(r.scope)) this.states.set(r.scope, this.rowOf(r))
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
    await this.loadBuckets(scopes)
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

  // ---- the write ----

  statements(): InStatement[] {
    const p = this.project.id
    const reporters = [...this.dirtySeen.values()].map(([s, r, m]) => [p, s, r, m])
    const grow: InValue[][] = []
    const shrink: InValue[][] = []
    for (const [s, m, reports, moved] of this.deltas.values()) {
      if (reports > 0) grow.push([p, s, m, reports, moved])
      else if (moved !== 0) shrink.push([p, s, m, moved])
    }
    const states: InValue[][] = []
    for (const scope of this.dirtyStates) {
      const st = this.states.get(scope)
      if (st) states.push([p, scope, st.mass, st.decayedAt, st.firstSeenAt, st.activeSurgeId, st.lastHotAt])
    }
    const extended = [...this.extended].map(([id, e]) => [id, e.lastHotAt, e.peak])
    const ended = [...this.ended].map(([id, at]) => [id, at])
    const inserted = this.started.map(({ surge: s }) => [
      s.id,
      s.projectId,
      s.scope,
      s.clusterId,
      s.topic,
      s.startedAt,
      s.reports,
      s.reporters,
      s.expected,
      s.windowMinutes,
      s.release,
      s.deployId,
      s.deployRelease,
      s.deployedAt,
      s.endedAt,
      s.lastHotAt,
      s.peakReports,
    ])
    return [
      ...multiRow(
        `INSERT INTO surge_reporters (project_id, scope, reporter, minute)
         SELECT * FROM $VALUES WHERE column1 IS NOT NULL
         ON CONFLICT (project_id, scope, reporter) DO UPDATE SET minute = excluded.minute`,
        inKeyOrder(reporters, 1, 2),
        4,
        64,
      ),
      ...multiRow(
        `INSERT INTO surge_buckets (project_id, scope, minute, reports, reporters_last)
         SELECT * FROM $VALUES WHERE column1 IS NOT NULL
         ON CONFLICT (project_id, scope, minute) DO UPDATE SET reports = reports + excluded.reports,
           reporters_last = reporters_last + excluded.reporters_last`,
        inKeyOrder(grow, 1, 2),
        5,
        64,
      ),
      ...multiRow(
        `UPDATE surge_buckets SET reporters_last = reporters_last + u.column4
         FROM (SELECT * FROM $VALUES WHERE column1 IS NOT NULL) AS u
         WHERE surge_buckets.project_id = u.column1 AND surge_buckets.scope = u.column2
           AND surge_buckets.minute = u.column3`,
        inKeyOrder(shrink, 1, 2),
        4,
        64,
      ),
      ...multiRow(
        `INSERT INTO surge_state (project_id, scope, mass, decayed_at, first_seen_at, active_surge_id, last_hot_at)
         SELECT * FROM $VALUES WHERE column1 IS NOT NULL
         ON CONFLICT (project_id, scope) DO UPDATE SET mass = excluded.mass, decayed_at = excluded.decayed_at,
           first_seen_at = excluded.first_seen_at, active_surge_id = excluded.active_surge_id,
           last_hot_at = excluded.last_hot_at`,
        inKeyOrder(states, 1),
        7,
        64,
      ),
      ...multiRow(
        `UPDATE surges SET last_hot_at = u.column2, peak_reports = max(peak_reports, u.column3)
         FROM (SELECT * FROM $VALUES WHERE column1 IS NOT NULL) AS u WHERE surges.id = u.column1`,
        extended,
        3,
      ),
      ...multiRow(
        `UPDATE surges SET ended_at = u.column2 FROM (SELECT * FROM $VALUES WHERE column1 IS NOT NULL) AS u
         WHERE surges.id = u.column1`,
        ended,
        2,
      ),
      ...multiRow(
        `INSERT INTO surges (id, project_id, scope, cluster_id, topic, started_at, reports, reporters, expected,
           window_minutes, release,
           deploy_id, deploy_release, deployed_at, ended_at, last_hot_at, peak_reports)
         SELECT * FROM $VALUES WHERE column1 IS NOT NULL`,
        inserted,
        17,
        8,
      ),
    ]
  }

  /** Queues each new surge's alert for the project's webhooks (in the batch's transaction, after statements()). */
  async notify(tx: Tx, deps: Deps): Promise<void> {
    for (const { surge, clusterTitle } of this.started) await notifySurge(tx, deps, this.project, surge, clusterTitle)
  }
}
