// The fixed value sets the schema enforces (statuses, roles, scopes…), for routes to validate
// against without importing the database layer. The schema stays their single definition.
export {
  CLUSTER_STATUSES,
  COMPONENT_STATUSES,
  INCIDENT_IMPACTS,
  INCIDENT_STATUSES,
  OUTBOX_CHANNELS,
  OUTBOX_STATUSES,
  ROLES,
  TOKEN_SCOPES,
} from '../../db/schema/index.js'
