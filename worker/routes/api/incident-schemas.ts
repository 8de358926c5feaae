// What the incident and status-admin routes (incidents.ts) answer: /openapi.json and the
// dashboard's generated types are made from these; the serializers there return `Out<typeof X>`.
import { z } from 'zod'
import { COMPONENT_STATUSES } from '../../domain/shared/index.js'
import { IncidentHeadOut, UpdateOut } from './serialize.js'

const time = z.string()
export const ComponentOut = z
  .object({
    id: z.string(),
    project_id: z.string(),
    name: z.string(),
    description: z.string(),
    position: z.number(),
    status: z.enum(COMPONENT_STATUSES),
    created_at: time,
  })
  .meta({ id: 'Component' })
export const MaintenanceOut = z
  .object({
    id: z.string(),
    project_id: z.string(),
    title: z.string(),
    message: z.string(),
    starts_at: time,
    ends_at: time,
    phase: z.enum(['scheduled', 'in_progress', 'completed', 'cancelled']),
    components: z.array(z.object({ id: z.string(), name: z.string() })),
    created_at: time,
    cancelled_at: time.nullable(),
  })
  .meta({ id: 'Maintenance' })
export const LearningOut = z
  .object({
    incident_id: z.string(),
    title: z.string(),
    impact: z.string(),
    visibility: z.string(),
    status: z.string(),
    first_report_at: time.nullable(),
    declared_at: time,
    first_public_update_at: time.nullable(),
    resolved_at: time.nullable(),
    time_to_detect_ms: z.number().nullable(),
    time_to_first_update_ms: z.number().nullable(),
    customer_impact_ms: z.number().nullable(),
    reports: z.number(),
    reporters: z.number(),
    affected_presses: z.number(),
    releases: z.array(z.object({ release: z.string(), reports: z.number() })),
    notices: z.object({ total: z.number(), seen: z.number() }),
    timeline: z
      .array(
        z.object({
          at: time,
          kind: z.enum(['report', 'declared', 'update', 'resolved']),
          status: z.string().nullable(),
          text: z.string(),
          internal_note: z.string().nullable(),
          author: z.string().nullable(),
        }),
      )
      .optional()
      .meta({ description: 'Only on one incident’s learning, not in the project’s rows' }),
  })
  .meta({ id: 'IncidentLearning' })
export const ProjectLearningOut = z
  .object({
    learning: z.object({
      incidents: z.number(),
      customer_reported: z.number(),
      median_time_to_detect_ms: z.number().nullable(),
      median_time_to_first_update_ms: z.number().nullable(),
      median_customer_impact_ms: z.number().nullable(),
      reports: z.number(),
      reporters: z.number(),
      rows: z.array(LearningOut),
    }),
  })
  .meta({ id: 'ProjectLearning' })
export const IncidentSummaryOut = IncidentHeadOut.extend({ latest_update: UpdateOut }).meta({ id: 'IncidentSummary' })
export const IncidentOut = IncidentHeadOut.extend({
  updates: z.array(UpdateOut),
  clusters: z.array(
    z.object({ id: z.string(), title: z.string(), report_count: z.number(), reporter_count: z.number() }),
  ),
  components: z.array(z.object({ id: z.string(), name: z.string(), status: z.enum(COMPONENT_STATUSES) })),
  notices: z.object({ total: z.number(), seen: z.number() }),
  status_page_url: z
    .string()
    .nullable()
    .meta({ description: 'The incident on the status page (public incidents only)' }),
  reports_since_resolved: z.number().meta({
    description: 'Reports linked to it that arrived after it was resolved (while "may be back"); 0 otherwise',
  }),
}).meta({ id: 'Incident' })
export const IncidentAnswer = z.object({ incident: IncidentOut }).meta({ id: 'IncidentAnswer' })
export const SubscriberOut = z
  .object({
    id: z.string(),
    email: z.string(),
    state: z.enum(['pending', 'confirmed', 'unsubscribed']),
    component_ids: z.array(z.string()),
    created_at: time,
    confirmed_at: time.nullable(),
  })
  .meta({ id: 'Subscriber' })
export const StatusTokenOut = z
  .object({ id: z.string(), label: z.string(), created_at: time, revoked_at: time.nullable() })
  .meta({ id: 'StatusToken' })
export const StatusTokenCreated = z
  .object({
    token: StatusTokenOut,
    secret: z.string().meta({ description: 'Shown once' }),
    private_url: z.string().meta({ description: 'The status page with ?token=: opens the private view' }),
  })
  .meta({ id: 'StatusTokenCreated' })
export const NotifiedOut = z
  .object({
    notices: z.number(),
    emails: z.number(),
    email_configured: z.boolean().meta({ description: 'false: the e-mails are queued, not sent' }),
  })
  .meta({ id: 'AffectedNotified' })
