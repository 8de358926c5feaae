import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Database } from '../db/client.js'
import type { Guard } from '../http/rate-limit.js'
import type { ResponseCache } from '../http/response-cache.js'
import type { ClusterEngine } from './clustering/index.js'
import type { Pipeline } from './pipeline/index.js'
import type { ProjectKeyCache } from './projects.js'
import type { TxtLookup } from './status/dns-txt.js'
import type { AttachmentStore } from './attachments/store.js'

/**
 * What every domain function is given. Built once per entry (createDeps in worker/app.ts): the
 * app, the background jobs and the pipeline all share this one object.
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
  /** Public-key → project look-ups kept in memory for a few seconds (Workers; domain/projects.ts). */
  projectKeys?: ProjectKeyCache
  /** Polled JSON answers kept a few seconds (Workers: the Cache API; http/response-cache.ts). */
  responseCache?: ResponseCache
  /** DNS TXT lookups for custom-domain verification (Node: the system resolver; Workers: DNS over HTTPS). */
  lookupTxt?: TxtLookup
  /** Screenshot bytes (Node: a directory beside the database; Workers: R2). Without one, screenshots are refused with 503. */
  attachments?: AttachmentStore
}
