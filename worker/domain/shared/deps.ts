import type { Clock } from '../../clock.js'
import type { Config } from '../../config.js'
import type { Database } from '../../db/client.js'
import type { Guard } from '../../http/rate-limit.js'
import type { ResponseCache } from '../../http/response-cache.js'
import type { ClusterEngine } from '../clustering/index.js'
import type { Pipeline } from '../pipeline/index.js'
import type { ProjectByKeyQuery, ProjectKeyCache } from '../projects/index.js'
import type { HealthProbe } from './health.js'
import type { OutboxState } from '../notifications/index.js'
import type { StatusCache, StatusHostCache } from '../incidents/index.js'
import type { TxtLookup } from '../incidents/index.js'
import type { AttachmentStore } from '../reports/index.js'

/**
 * What every domain function is given. Built once per entry (createDeps in worker/app.ts): the
 * app, the background jobs and the pipeline all share this one object. What an entry remembers
 * between requests lives here too, never in module-level variables, so two apps on two databases
 * in one process (tests, CLIs) share nothing (test/architecture/entry-state.test.ts).
 */
export interface Deps {
  db: Database
  clock: Clock
  config: Config
  /** The clustering engine: every change to clustering state goes through it. */
  engine: ClusterEngine
  /** Clusters, counts and surge-checks stored reports (worker/domain/pipeline). */
  pipeline: Pipeline
  /** Abuse limits (worker/http/rate-limit.ts); set by createDeps. */
  guard?: Guard
  /** Where unexpected errors are reported; never given secrets. */
  log: (message: string) => void
  /** Public-key → project look-ups kept in memory for a few seconds (Workers; domain/projects/projects.ts). */
  projectKeys?: ProjectKeyCache
  /** Polled JSON answers kept a few seconds (Workers: the Cache API; http/response-cache.ts). */
  responseCache?: ResponseCache
  /** DNS TXT lookups for custom-domain verification (Node: the system resolver; Workers: DNS over HTTPS). */
  lookupTxt?: TxtLookup
  /**
   * Screenshot bytes (Node: a directory beside the database; Workers: R2). Without one, screenshots
   * are refused with 503.
   */
  attachments?: AttachmentStore
  // ---- What the entry remembers (built by createDeps; objects so copies of Deps share them) ----
  /** When each throttled background job last ran (worker/jobs.ts). */
  jobRuns: Map<string, number>
  /** The last `/health` write probe's outcome (domain/shared/health.ts). */
  healthProbe: HealthProbe
  /** The public-key → project query, prepared once (domain/projects/projects.ts). */
  projectByKeyQuery: ProjectByKeyQuery
  /** The outbox's transports and prompt-delivery state (domain/notifications/transports.ts, scheduling.ts). */
  outbox: OutboxState
  /** When surge counters were last pruned (domain/surge/query.ts). */
  surgePrune: { at: number }
  /** Status-page answers kept 2 s (domain/incidents/cache.ts). */
  statusCache: StatusCache
  /** host → status-site slug kept 30 s (routes/status/hosts.ts). */
  statusHosts: StatusHostCache
}
