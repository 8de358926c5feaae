import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Database } from '../db/client.js'
import type { ClusterEngine } from './clustering/index.js'

/** What every domain function is given: the database, the clock and the configuration. */
export interface Deps {
  db: Database
  clock: Clock
  config: Config
  engine: ClusterEngine
}
