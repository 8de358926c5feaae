import { parseJson } from '../json.js'
import type { Project } from '../projects.js'

/** Thresholds for one scope (a cluster, or the whole project). */
export interface ScopeThresholds {
  /** At least this many reports in the window … */
  minReports: number
  /** … from at least this many different reporters … */
  minReporters: number
  /** … at least `ratio` times what the baseline expects for the window … */
  ratio: number
  /** … and so unlikely under the baseline (Poisson tail probability) that it is not chance. */
  alpha: number
  /** Time constant of the exponentially decaying baseline, in minutes. */
  baselineMinutes: number
  /** Baseline floor, in reports per hour: a quiet scope is not assumed to be silent. */
  floorPerHour: number
  /** No alert before the scope has this much history (minutes since its first report). */
  warmupMinutes: number
}

export interface SurgeSettings {
  enabled: boolean
  /** The recent window that is compared with the baseline, in minutes. */
  windowMinutes: number
  /** A surge ends after this many minutes without a hot window; only then can the scope surge again. */
  cooldownMinutes: number
  /** A surge names the latest deploy at most this many hours before it. */
  deployLookbackHours: number
  cluster: ScopeThresholds
  /** Distinctive words shared across clusters (see topics.ts). */
  topic: ScopeThresholds & { enabled: boolean; maxTerms: number }
  project: ScopeThresholds
}

/**
 * Defaults, measured with `npm run bench:surge` (BENCHMARKS.md): every injected surge is caught
 * within 5 minutes with no false alert in a simulated week. A cluster needs a handful of people
 * reporting the same thing in a few minutes; the project needs its total volume to jump far
 * above its recent level (the "site rolled back three months" case).
 */
export const DEFAULT_SURGE_SETTINGS: SurgeSettings = {
  enabled: true,
  windowMinutes: 5,
  cooldownMinutes: 30,
  deployLookbackHours: 24,
  cluster: { minReports: 4, minReporters: 3, ratio: 4, alpha: 1e-6, baselineMinutes: 24 * 60, floorPerHour: 0.2, warmupMinutes: 0 },
  topic: { enabled: true, maxTerms: 8, minReports: 4, minReporters: 3, ratio: 4, alpha: 1e-6, baselineMinutes: 24 * 60, floorPerHour: 0.2, warmupMinutes: 0 },
  project: { minReports: 8, minReporters: 5, ratio: 3, alpha: 1e-5, baselineMinutes: 120, floorPerHour: 6, warmupMinutes: 60 },
}

function num(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback
}

function thresholds(raw: Record<string, unknown> | undefined, d: ScopeThresholds): ScopeThresholds {
  const r = raw ?? {}
  return {
    minReports: num(r.minReports, d.minReports, 1, 100_000),
    minReporters: num(r.minReporters, d.minReporters, 1, 100_000),
    ratio: num(r.ratio, d.ratio, 1, 1000),
    alpha: num(r.alpha, d.alpha, 1e-15, 0.5),
    baselineMinutes: num(r.baselineMinutes, d.baselineMinutes, 10, 30 * 24 * 60),
    floorPerHour: num(r.floorPerHour, d.floorPerHour, 0, 100_000),
    warmupMinutes: num(r.warmupMinutes, d.warmupMinutes, 0, 30 * 24 * 60),
  }
}

/** `projects.settings.surge` overrides any of the defaults; invalid values fall back to them. */
export function surgeSettings(project: Pick<Project, 'settings'>): SurgeSettings {
  const raw = parseJson<{ surge?: Record<string, any> }>(project.settings, {}).surge ?? {}
  const d = DEFAULT_SURGE_SETTINGS
  return {
    enabled: raw.enabled !== false,
    windowMinutes: num(raw.windowMinutes, d.windowMinutes, 1, 120),
    cooldownMinutes: num(raw.cooldownMinutes, d.cooldownMinutes, 1, 24 * 60),
    deployLookbackHours: num(raw.deployLookbackHours, d.deployLookbackHours, 0, 24 * 30),
    cluster: thresholds(raw.cluster, d.cluster),
    topic: {
      ...thresholds(raw.topic, d.topic),
      enabled: raw.topic?.enabled !== undefined ? raw.topic.enabled !== false : d.topic.enabled,
      maxTerms: num(raw.topic?.maxTerms, d.topic.maxTerms, 1, 32),
    },
    project: thresholds(raw.project, d.project),
  }
}
