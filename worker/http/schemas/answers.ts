// The answer schemas the dashboard API shares across areas: each serializer in
// routes/api/serialize.ts returns `Out<typeof XOut>` of one of these, and /openapi.json (and the
// dashboard's generated types) are made from them, so the two cannot drift apart.
import { z } from 'zod'
import { SurgeSettingsSchema } from '../../domain/surge/index.js'

const time = z.string().meta({ format: 'date-time' })
export const ROLE = z.enum(['owner', 'responder', 'support', 'viewer'])

export const ClusterOut = z
  .object({
    id: z.string(),
    project_id: z.string(),
    title: z.string(),
    title_source: z
      .enum(['auto', 'human'])
      .meta({ description: "'human' when a responder named the cluster (the engine never retitles it)" }),
    status: z.enum(['open', 'acknowledged', 'muted', 'resolved']),
    report_count: z.number(),
    reporter_count: z.number(),
    first_seen_at: time,
    last_seen_at: time,
    incident_id: z.string().nullable(),
    assignee_id: z.string().nullable(),
    merged_into_id: z.string().nullable(),
  })
  .meta({ id: 'Cluster' })

export const SurgeOut = z
  .object({
    id: z.string(),
    scope: z
      .enum(['cluster', 'topic', 'project'])
      .meta({ description: "'topic': one word shared by reports across clusters" }),
    topic: z.string().nullable(),
    started_at: time,
    reports: z.number(),
    reporters: z.number(),
    expected: z.number(),
    window_minutes: z.number(),
    deploy: z.object({ id: z.string(), release: z.string(), deployed_at: time, text: z.string() }).nullable(),
  })
  .meta({ id: 'Surge' })

export const TopicSurgeOut = SurgeOut.extend({
  project_id: z.string(),
  since: time.meta({ description: "Start of the surge's first window: the counts below are since then" }),
  total_reports: z.number(),
  people: z.number(),
  clusters: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      status: z.enum(['open', 'acknowledged', 'muted', 'resolved']),
      reports: z.number(),
      report_count: z.number(),
    }),
  ),
}).meta({ id: 'TopicSurge', description: 'A word surging across several clusters (never a badge on one of them)' })

export const ClusterRowOut = ClusterOut.extend({
  top_route: z.string().nullable(),
  top_release: z.string().nullable(),
  sparkline: z.array(z.number()),
  surge: SurgeOut.nullable(),
}).meta({ id: 'ClusterRow' })

export const ReportOut = z
  .object({
    id: z.string(),
    project_id: z.string(),
    cluster_id: z.string().nullable(),
    incident_id: z.string().nullable(),
    message: z.string(),
    email: z.string().nullable(),
    page_url: z.string().nullable(),
    route: z.string().nullable(),
    release: z.string().nullable(),
    user_agent: z.string().nullable(),
    browser: z.string().nullable(),
    locale: z.string().nullable(),
    category: z.string().nullable(),
    reporter_id: z.string().nullable(),
    source: z.enum(['widget', 'support', 'api', 'affected']),
    channel: z.string().nullable(),
    // As validated when it came in (http/schemas.ts ReportContext), plus what support adds.
    context: z
      .object({
        errors: z
          .array(z.object({ message: z.string(), stack: z.string().optional(), at: z.string().optional() }))
          .optional(),
        network: z
          .array(z.object({ method: z.string(), url: z.string(), status: z.number(), at: z.string().optional() }))
          .optional(),
        user: z
          .object({ id: z.string().optional(), email: z.string().optional(), name: z.string().optional() })
          .optional(),
        customer_contact: z.string().optional(),
      })
      .catchall(z.unknown()),
    created_at: time,
  })
  .meta({ id: 'Report' })

export const IncidentHeadOut = z.object({
  id: z.string(),
  project_id: z.string(),
  title: z.string(),
  impact: z.enum(['none', 'minor', 'major', 'critical']),
  visibility: z.enum(['public', 'private']),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
  created_at: time,
  updated_at: time,
  may_be_back_at: time
    .nullable()
    .meta({ description: 'Set while a resolved incident got new reports in its clusters ("may be back")' }),
})

export const UpdateOut = z
  .object({
    id: z.string(),
    status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
    message: z.string(),
    internal_note: z.string().nullable(),
    author_id: z.string().nullable(),
    created_at: time,
  })
  .meta({ id: 'IncidentUpdate' })

export const ProjectOut = z
  .object({
    id: z.string(),
    workspace_id: z.string(),
    name: z.string(),
    slug: z.string(),
    public_key: z.string(),
    allowed_origins: z.array(z.string()),
    color: z.string(),
    settings: z
      .object({ surge: z.record(z.string(), z.unknown()).optional(), retention_days: z.number().nullable().optional() })
      .catchall(z.unknown()),
    surge_defaults: SurgeSettingsSchema.meta({
      id: 'SurgeDefaults',
      description: 'What an unset surge setting means (the schema defaults)',
    }),
  })
  .meta({ id: 'Project' })
export const ProjectAnswer = z.object({ project: ProjectOut }).meta({ id: 'ProjectAnswer' })
