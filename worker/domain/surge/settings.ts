// The surge detector's settings: one zod schema holds every default and every bound. The engine
// reads a project's settings through it (`surgeSettings`), the settings route validates input
// with its partial form (`SurgeSettingsPatch`), the API serves the defaults with each project
// (serialize.ts `projectJson` → `surge_defaults`), the dashboard shows them, and the README
// quotes them (test/surge/settings.test.ts compares the README with this file).
import { z } from 'zod'
import { parseJson } from '../shared/index.js'
import type { Project } from '../projects/index.js'

const num = (d: number, min: number, max: number, int = false) =>
  (int ? z.number().int() : z.number()).min(min).max(max).default(d)

/**
 * Thresholds for one scope (a cluster, a word, or the whole project). Hot when, in the window:
 * reports ≥ minReports, from ≥ minReporters different people, ≥ ratio × what the baseline
 * expects, and Poisson P(X ≥ reports | expected) ≤ alpha.
 */
function scopeSchema(d: {
  minReports: number
  minReporters: number
  ratio: number
  alpha: number
  baselineMinutes: number
  floorPerHour: number
  warmupMinutes: number
}) {
  return {
    /** At least this many reports in the window … */
    minReports: num(d.minReports, 1, 100_000, true),
    /** … from at least this many different people … */
    minReporters: num(d.minReporters, 1, 100_000, true),
    /** … at least `ratio` times what the baseline expects for the window … */
    ratio: num(d.ratio, 1, 1000),
    /** … and so unlikely under the baseline (Poisson tail probability) that it is not chance. */
    alpha: num(d.alpha, 1e-15, 0.5),
    /** Time constant of the exponentially decaying baseline, in minutes. */
    baselineMinutes: num(d.baselineMinutes, 10, 30 * 24 * 60),
    /** Baseline floor, in reports per hour: a quiet scope is not assumed to be silent. */
    floorPerHour: num(d.floorPerHour, 0, 100_000),
    /** No alert before the scope has this much history (minutes since its first report). */
    warmupMinutes: num(d.warmupMinutes, 0, 30 * 24 * 60),
  }
}

/**
 * Defaults, measured with `npm run bench:surge` (BENCHMARKS.md "Surge alerts"). A cluster needs a
 * handful of people reporting the same thing in a few minutes; a word shared across clusters the
 * same; the project needs its total volume to jump far above its recent level (the "site rolled
 * back three months" case); a slow burn needs a rate well above baseline for half an hour.
 */
export const SurgeSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** The recent window that is compared with the baseline, in minutes. */
  windowMinutes: num(5, 1, 120, true),
  /** A surge ends after this many minutes without a hot window; only then can the scope surge again. */
  cooldownMinutes: num(30, 1, 24 * 60),
  /** A surge names the latest deploy at most this many hours before it. */
  deployLookbackHours: num(24, 0, 24 * 30),
  cluster: z
    .strictObject(
      scopeSchema({
        minReports: 3,
        minReporters: 3,
        ratio: 4,
        alpha: 3e-6,
        baselineMinutes: 24 * 60,
        floorPerHour: 0.2,
        warmupMinutes: 0,
      }),
    )
    .prefault({}),
  /** Distinctive words shared across clusters (see topics.ts). */
  topic: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Words per report that count as topics. */
      maxTerms: num(8, 1, 32, true),
      ...scopeSchema({
        minReports: 3,
        minReporters: 3,
        ratio: 4,
        alpha: 3e-6,
        baselineMinutes: 24 * 60,
        floorPerHour: 0.2,
        warmupMinutes: 0,
      }),
    })
    .prefault({}),
  project: z
    .strictObject(
      scopeSchema({
        minReports: 8,
        minReporters: 5,
        ratio: 3,
        alpha: 1e-5,
        baselineMinutes: 120,
        floorPerHour: 6,
        warmupMinutes: 60,
      }),
    )
    .prefault({}),
  /**
   * Busy hours: a cluster's or a word's expected count is scaled by how much busier the project is
   * now (its 2-hour rate) than over the day (its day-long rate), between 1 and `maxFactor`, once
   * the project has `minHistoryMinutes` of history (detect.ts activityOf).
   */
  activity: z
    .strictObject({
      enabled: z.boolean().default(true),
      maxFactor: num(3, 1, 100),
      minHistoryMinutes: num(24 * 60, 0, 30 * 24 * 60, true),
    })
    .prefault({}),
  /**
   * Right after a deploy marker (`POST /v1/deploys`), the project's volume needs less evidence: a
   * release is when most regressions start, and a bad one shows as many different complaints at
   * once, none of them many on its own. Within `minutes` after a deploy the project scope is hot at
   * these thresholds (its own baseline, window and history rule stay).
   */
  afterDeploy: z
    .strictObject({
      enabled: z.boolean().default(true),
      minutes: num(60, 1, 24 * 60, true),
      minReports: num(6, 1, 100_000, true),
      minReporters: num(4, 1, 100_000, true),
      ratio: num(2, 1, 1000),
      alpha: num(1e-4, 1e-15, 0.5),
    })
    .prefault({}),
  /**
   * Slow burns (clusters and words): a longer window in which the same scope's rate stays well
   * above its baseline, for problems that never put enough reports in one short window.
   */
  slow: z
    .strictObject({
      enabled: z.boolean().default(true),
      windowMinutes: num(30, 10, 24 * 60, true),
      minReports: num(6, 1, 100_000, true),
      minReporters: num(5, 1, 100_000, true),
      ratio: num(6, 1, 1000),
      alpha: num(1e-6, 1e-15, 0.5),
    })
    .prefault({}),
})

export type SurgeSettings = z.output<typeof SurgeSettingsSchema>
export type ScopeThresholds = SurgeSettings['cluster']
export type SlowThresholds = SurgeSettings['slow']

export const DEFAULT_SURGE_SETTINGS: SurgeSettings = Object.freeze(SurgeSettingsSchema.parse({}))

/** Input form of the schema: any subset, no defaults filled in (the route stores only what was sent). */
function partialOf(schema: z.ZodType): z.ZodType {
  let inner: z.ZodType = schema
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault) inner = inner.def.innerType as z.ZodType
  if (inner instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {}
    for (const [k, v] of Object.entries(inner.shape as Record<string, z.ZodType>)) shape[k] = partialOf(v).optional()
    return z.strictObject(shape)
  }
  return inner
}

/** What `PATCH /api/projects/:id {settings: {surge}}` accepts: any subset, each value within its bounds. */
export const SurgeSettingsPatch = partialOf(SurgeSettingsSchema) as z.ZodType<DeepPartial<SurgeSettings>>
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] }

/** Drops whatever part of a stored value the schema refuses (settings stored before a bound existed). */
function tolerantParse(raw: unknown): SurgeSettings {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return DEFAULT_SURGE_SETTINGS
  const value = structuredClone(raw) as Record<string, unknown>
  for (let attempt = 0; attempt < 50; attempt++) {
    const r = SurgeSettingsSchema.safeParse(value)
    if (r.success) return r.data
    for (const issue of r.error.issues) {
      let parent: any = value
      const path = issue.path.map(String)
      const last = issue.code === 'unrecognized_keys' ? undefined : path.pop()
      for (const k of path) parent = parent?.[k]
      if (!parent || typeof parent !== 'object') continue
      if (issue.code === 'unrecognized_keys') for (const k of issue.keys) delete parent[k]
      else if (last !== undefined) delete parent[last]
    }
  }
  return DEFAULT_SURGE_SETTINGS
}

const cache = new Map<string, SurgeSettings>()

/** `projects.settings.surge` overrides any of the defaults; values the schema refuses fall back to them. */
export function surgeSettings(project: Pick<Project, 'settings'>): SurgeSettings {
  const text = project.settings ?? '{}'
  let s = cache.get(text)
  if (!s) {
    s = tolerantParse(parseJson<{ surge?: unknown }>(text, {}).surge ?? {})
    if (cache.size > 500) cache.clear()
    cache.set(text, s)
  }
  return s
}
