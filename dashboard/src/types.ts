// The dashboard API's JSON, by the names the pages use — every shape comes from api-types.ts, which
// openapi-typescript generates from /openapi.json (the routes' own zod schemas): nothing here is
// kept by hand, so a changed serializer changes these types (and `npm run typecheck` finds the pages
// that need to follow). Regenerate with `npm run api:types`.
import type { components, operations } from './api-types'

type S = components['schemas']
/** The JSON body of an operation's answer with that status. */
type Body<Op extends keyof operations, Status extends number> =
  operations[Op]['responses'] extends Record<Status, { content: { 'application/json': infer B } }> ? B : never
/** The JSON body an operation takes. */
type Input<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never
type Query<Op extends keyof operations> = operations[Op]['parameters'] extends { query?: infer Q }
  ? NonNullable<Q>
  : never

export type Role = S['Me']['workspaces'][number]['role']
export type Project = S['Project']
export type ProjectSettings = Project['settings']
export type Workspace = S['Workspace']
export type Me = S['Me']

export type ClusterStatus = S['Cluster']['status']
export type IncidentStatus = S['IncidentUpdate']['status']
export type IncidentImpact = S['IncidentSummary']['impact']
export type TokenScope = S['ApiToken']['scopes'][number]
export type ReportSource = S['Report']['source']

/** The surge detector's defaults (what an unset surge setting means), from the server's settings schema. */
export type SurgeDefaults = NonNullable<Project['surge_defaults']>
export type SurgeScopeDefaults = SurgeDefaults['cluster']

export type Surge = S['Surge']
/**
 * A cluster as any answer carries it: the list adds the row fields, the cluster page its surge and
 * screenshot count.
 */
export type Cluster = S['Cluster'] &
  Partial<Omit<S['ClusterRow'], keyof S['Cluster']>> &
  Partial<Omit<S['ClusterPage']['cluster'], keyof S['Cluster']>>
export type ClusterQuery = Query<'listClusters'>
export type ClusterList = S['ClusterList']
export type ClusterPage = S['ClusterPage']
export type Report = S['Report'] & { attachment?: S['ReportWithAttachment']['attachment'] }
export type CapturedError = NonNullable<S['Report']['context']['errors']>[number]
export type Breakdown = S['ClusterPage']['breakdowns']['route'][number]
export type Deploy = S['ClusterPage']['timeline']['deploys'][number]

export type IncidentUpdate = S['IncidentUpdate']
export type IncidentSummary = S['IncidentSummary']
export type Incident = S['Incident']
export type DeclareInput = Input<'declareIncident'>
export type SupportReportInput = Input<'addReport'>

export type Member = S['Member']
export type Invitation = S['Invitation']
export type InvitationInfo = Body<'getInvitationByToken', 200>
export type InvitationJoined = Body<'acceptInvitation', 200>
export type InvitationClaimed = Body<'acceptInvitation', 202>
export type ApiToken = S['ApiToken']
export type Webhook = S['Webhook']
export type WebhookDelivery = S['WebhookDeliveries']['deliveries'][number]
export type OutboxEntry = S['OutboxEntry']
export type OutboxList = S['OutboxList']
export type OutboxQuery = Query<'listOutbox'>
export type Erased = S['Erased']['erased']

/** A word surging across clusters: the clusters it spans and the reports and people across them. */
export type TopicSurge = S['TopicSurge']
/** A merge the responder can still take back (POST /api/merges/:group_id/undo). */
export type MergeResult = S['MergeResult']
export type UndoableMerge = NonNullable<S['ClusterPage']['undoable_merges']>[number]
export type SimilarCluster = S['SimilarCluster']
