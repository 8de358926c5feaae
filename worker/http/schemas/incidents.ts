// The incident routes' schemas (routes/api/incidents/): what they accept, validated by
// `validate()`, and what they answer — /openapi.json and the dashboard's generated types are made
// from these; the serializers (routes/api/incidents/serialize.ts) return `Out<typeof X>`.
import { z } from 'zod'
import { COMPONENT_STATUSES, INCIDENT_IMPACTS, INCIDENT_STATUSES } from '../../domain/shared/index.js'
import { IncidentHeadOut, UpdateOut } from './answers.js'

// ---- requests ----

/** Components an incident or update marks, with the status each is in (never "operational"). */
export const AffectedComponents = z
  .array(z.object({ component_id: z.string().max(64), status: z.enum(COMPONENT_STATUSES).exclude(['operational']) }))
  .max(100)
  .optional()

export const DeclareIncidentInput = z.object({
  project_id: z.string().max(64).optional(),
  cluster_id: z.string().max(64).optional(),
  title: z.string().trim().min(1).max(200),
  impact: z.enum(INCIDENT_IMPACTS).default('minor'),
  visibility: z.enum(['public', 'private']).default('public'),
  status: z.enum(['investigating', 'identified', 'monitoring']).default('investigating'),
  message: z.string().trim().min(1).max(5000),
  internal_note: z.string().trim().max(5000).optional(),
  components: AffectedComponents,
})
export const IncidentUpdateInput = z.object({
  status: z.enum(INCIDENT_STATUSES),
  message: z.string().trim().min(1).max(5000),
  internal_note: z.string().trim().max(5000).optional(),
  components: AffectedComponents,
})
export const IncidentPatchInput = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    impact: z.enum(INCIDENT_IMPACTS).optional(),
    visibility: z.enum(['public', 'private']).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change')
export const NotifyAffectedInput = z.object({ message: z.string().trim().min(1).max(2000) })
export const IncidentListQuery = z.object({
  project_id: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
})

// ---- answers ----

const time = z.string()
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
export const NotifiedOut = z
  .object({
    notices: z.number(),
    emails: z.number(),
    email_configured: z.boolean().meta({ description: 'false: the e-mails are queued, not sent' }),
  })
  .meta({ id: 'AffectedNotified' })
