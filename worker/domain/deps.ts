import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Database } from '../db/client.js'
import type { Guard } from '../http/rate-limit.js'
import type { ClusterEngine } from './clustering/index.js'
import type { TxtLookup } from './status/dns-txt.js'
import type { AttachmentStore } from './attachments/store.js'

/** What every domain function is given: the database, the clock and the configuration. */
export interface Deps {
  db: Database
  clock: Clock
  config: Config
  engine: ClusterEngine
  /** Abuse limits (worker/http/rate-limit.ts); set by createDeps. */
  guard?: Guard
  /** DNS TXT lookups for custom-domain verification (Node: the system resolver; Workers: DNS over HTTPS). */
  lookupTxt?: TxtLookup
  /** Screenshot bytes (Node: a directory beside the database; Workers: R2). Without one, screenshots are refused with 503. */
  attachments?: AttachmentStore
}
