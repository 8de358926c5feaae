// What every feature uses: the dependencies (Deps), domain errors, ids, JSON helpers, the schema's vocabularies,
// health.
// The feature's one door: the rest of worker/ imports this file, never the leaves beside it.
export type { Deps } from './deps.js'
export {
  DatabaseUnavailableError,
  DomainError,
  conflict,
  forbidden,
  isDatabaseOutage,
  notFound,
  type DomainErrorKind,
} from './errors.js'
export { sha256Hex } from './hashing.js'
export { checkHealth, newHealthProbe } from './health.js'
export { idTime, newId, newSecret } from './ids.js'
export { iso, parseJson } from './json.js'
export {
  CLUSTER_STATUSES,
  COMPONENT_STATUSES,
  INCIDENT_IMPACTS,
  INCIDENT_STATUSES,
  OUTBOX_CHANNELS,
  OUTBOX_STATUSES,
  ROLES,
  TOKEN_SCOPES,
} from './vocabulary.js'
