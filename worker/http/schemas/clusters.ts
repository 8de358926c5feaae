// The cluster routes' schemas (routes/api/clusters/): what they accept, validated by
// `validate()`, and what they answer — /openapi.json and the dashboard's generated types are made
// from these; the serializers (routes/api/clusters/serialize.ts) return `Out<typeof X>`.
import { z } from 'zod'
import { RANGES, type Range } from '../../domain/triage/index.js'
import { CLUSTER_STATUSES } from '../../domain/shared/index.js'
import { ClusterOut, ClusterRowOut, IncidentHeadOut, ReportOut, SurgeOut, TopicSurgeOut } from './answers.js'

// ---- requests ----

const id = z.string().min(1).max(64)
export const ClusterListQuery = z.object({
  project_id: z.string().max(64).optional(),
  status: z.union([z.enum(CLUSTER_STATUSES), z.literal('active'), z.literal('')]).optional(),
  range: z.union([z.enum(Object.keys(RANGES) as [Range, ...Range[]]), z.literal('')]).optional(),
  release: z.string().max(200).optional(),
  route: z.string().max(300).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})
export const ReportsQuery = z.object({
  before: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
})
export const StatusInput = z.object({ status: z.enum(CLUSTER_STATUSES) })
export const AssignInput = z.object({ assignee_id: id.nullable() })
export const MergeInput = z.object({ into_id: id })
export const MergeManyInput = z.object({ into_id: id, source_ids: z.array(id).min(1).max(50) })
export const RenameInput = z.object({ title: z.string().trim().min(1).max(200).nullable() })
export const MoveInput = z
  .object({
    report_ids: z.array(id).min(1).max(500),
    to_cluster_id: id.optional(),
    new_title: z.string().trim().min(1).max(200).optional(),
  })
  .refine((v) => !!v.to_cluster_id !== !!v.new_title, { message: 'give either to_cluster_id or new_title' })
export const LinkInput = z.object({ incident_id: id })
export const NotRelatedInput = z.object({ other_id: id })

export const SearchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  project_id: z.string().max(64).optional(),
})

// ---- answers ----

export const ReportWithAttachment = ReportOut.extend({
  attachment: z.object({ content_type: z.string(), size: z.number() }).nullable(),
}).meta({ id: 'ReportWithAttachment' })
const Breakdown = z.array(z.object({ value: z.string().nullable(), count: z.number() }))
export const ClusterListOut = z
  .object({
    clusters: z.array(ClusterRowOut),
    facets: z.object({ releases: z.array(z.string()), routes: z.array(z.string()) }),
    project_surges: z
      .array(SurgeOut.extend({ project_id: z.string() }))
      .meta({ description: 'Whole projects surging (every kind of report at once)' }),
    topic_surges: z
      .array(TopicSurgeOut)
      .meta({ description: 'Words surging across several clusters right now (never a badge on one of them)' }),
  })
  .meta({ id: 'ClusterList' })
export const ClusterPageOut = z
  .object({
    cluster: ClusterOut.extend({ surge: SurgeOut.nullable(), screenshot_count: z.number() }),
    topic_surges: z.array(TopicSurgeOut).meta({ description: 'Topic surges this cluster is part of' }),
    reports: z.array(ReportWithAttachment),
    next_before: z.string().nullable(),
    breakdowns: z.object({
      route: Breakdown,
      release: Breakdown,
      browser: Breakdown,
      locale: Breakdown,
      source: Breakdown,
    }),
    timeline: z.object({
      bucket_minutes: z.number(),
      from: z.string(),
      counts: z.array(z.number()),
      deploys: z.array(
        z.object({ id: z.string(), release: z.string(), environment: z.string().nullable(), deployed_at: z.string() }),
      ),
    }),
    incident: IncidentHeadOut.omit({ may_be_back_at: true }).nullable(),
    assignee: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    undoable_merges: z
      .array(
        z.object({
          group_id: z.string(),
          undo_until: z.string().meta({ format: 'date-time' }),
          reports: z.number(),
          clusters: z.number(),
        }),
      )
      .meta({ description: 'Merges into this cluster that can still be undone (POST /api/merges/{id}/undo)' }),
  })
  .meta({ id: 'ClusterPage' })
export const ReportPage = z
  .object({
    reports: z.array(ReportWithAttachment),
    next_before: z.string().nullable().meta({ description: 'Pass as ?before= for the next page' }),
  })
  .meta({ id: 'ReportPage' })
export const ClusterAnswer = z.object({ cluster: ClusterOut }).meta({ id: 'ClusterAnswer' })
export const MergeResultOut = z
  .object({
    group_id: z.string().meta({ description: 'Undo with POST /api/merges/{group_id}/undo' }),
    undo_until: z.string().meta({ format: 'date-time' }),
    reports: z.number(),
    merged: z.array(z.object({ cluster_id: z.string(), reports: z.number() })),
  })
  .meta({ id: 'MergeResult', description: 'A merge the responder can still take back' })
export const MergedAnswer = z.object({ cluster: ClusterOut, merge: MergeResultOut }).meta({ id: 'MergedAnswer' })
export const UndoneAnswer = z
  .object({
    cluster: ClusterOut,
    restored: z.array(ClusterOut).meta({ description: 'The clusters the merge had taken in, back again' }),
  })
  .meta({ id: 'MergeUndone' })
export const SimilarClusterOut = z
  .object({
    cluster: ClusterOut,
    similarity: z.number().meta({ description: '0–1, three decimals' }),
    kept_apart: z.boolean().meta({ description: 'Marked "not related" to this one' }),
  })
  .meta({ id: 'SimilarCluster' })
export const SimilarList = z.object({ similar: z.array(SimilarClusterOut) }).meta({ id: 'SimilarClusters' })
