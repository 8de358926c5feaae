// Domain rows → the incident area's JSON (snake_case, ISO times). Each returns `Out<typeof X>` of
// its schema in http/schemas/incidents.ts or http/schemas/status-admin.ts.
import { iso } from '../../../domain/shared/index.js'
import type { IncidentWithLatest, getIncident } from '../../../domain/incidents/index.js'
import type { noticeCounts } from '../../../domain/incidents/index.js'
import type { Component } from '../../../domain/incidents/index.js'
import type { IncidentLearning, projectLearning } from '../../../domain/incidents/index.js'
import type { MaintenanceView } from '../../../domain/incidents/index.js'
import type { listSubscribers } from '../../../domain/incidents/index.js'
import type { listStatusTokens } from '../../../domain/incidents/index.js'
import type { Out } from '../../../http/schemas.js'
import type {
  IncidentOut,
  IncidentSummaryOut,
  LearningOut,
  ProjectLearningOut,
} from '../../../http/schemas/incidents.js'
import type { ComponentOut, MaintenanceOut, StatusTokenOut, SubscriberOut } from '../../../http/schemas/status-admin.js'
import { incidentHeadJson, updateJson } from '../serialize.js'

type Loaded<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>

export const incidentSummaryJson = (i: IncidentWithLatest): Out<typeof IncidentSummaryOut> => ({
  ...incidentHeadJson(i),
  latest_update: updateJson(i.latest),
})

/** One incident with what the dashboard shows beside it (loaded by `incidentAnswer`, shared.ts). */
export const incidentJson = (
  i: NonNullable<Loaded<typeof getIncident>>,
  extra: { reportsSinceResolved: number; notices: Loaded<typeof noticeCounts>; statusPageUrl: string | null },
): Out<typeof IncidentOut> => ({
  ...incidentHeadJson(i),
  reports_since_resolved: extra.reportsSinceResolved,
  updates: i.updates.map(updateJson),
  clusters: i.clusters.map((cl) => ({
    id: cl.id,
    title: cl.title,
    report_count: cl.reportCount,
    reporter_count: cl.reporterCount,
  })),
  components: i.components.map((x) => ({ id: x.componentId, name: x.name, status: x.status })),
  notices: extra.notices,
  status_page_url: extra.statusPageUrl,
})

export const componentJson = (c: Component): Out<typeof ComponentOut> => ({
  id: c.id,
  project_id: c.projectId,
  name: c.name,
  description: c.description,
  position: c.position,
  status: c.status,
  created_at: iso(c.createdAt)!,
})

export const maintenanceJson = (m: MaintenanceView): Out<typeof MaintenanceOut> => ({
  id: m.id,
  project_id: m.projectId,
  title: m.title,
  message: m.message,
  starts_at: iso(m.startsAt)!,
  ends_at: iso(m.endsAt)!,
  phase: m.phase,
  components: m.components.map((c) => ({ id: c.id, name: c.name })),
  created_at: iso(m.createdAt)!,
  cancelled_at: iso(m.cancelledAt),
})

export const learningJson = (
  l: Omit<IncidentLearning, 'timeline'> & { timeline?: IncidentLearning['timeline'] },
): Out<typeof LearningOut> => ({
  incident_id: l.incidentId,
  title: l.title,
  impact: l.impact,
  visibility: l.visibility,
  status: l.status,
  first_report_at: iso(l.firstReportAt),
  declared_at: iso(l.declaredAt)!,
  first_public_update_at: iso(l.firstPublicUpdateAt),
  resolved_at: iso(l.resolvedAt),
  time_to_detect_ms: l.timeToDetectMs,
  time_to_first_update_ms: l.timeToFirstUpdateMs,
  customer_impact_ms: l.customerImpactMs,
  reports: l.reports,
  reporters: l.reporters,
  affected_presses: l.affectedPresses,
  releases: l.releases,
  notices: l.notices,
  ...(l.timeline
    ? {
        timeline: l.timeline.map((t) => ({
          at: iso(t.at)!,
          kind: t.kind,
          status: t.status ?? null,
          text: t.text,
          internal_note: t.internalNote ?? null,
          author: t.author ?? null,
        })),
      }
    : {}),
})

export const projectLearningJson = (l: Loaded<typeof projectLearning>): Out<typeof ProjectLearningOut> => ({
  learning: {
    incidents: l.incidents,
    customer_reported: l.customerReported,
    median_time_to_detect_ms: l.medianTimeToDetectMs,
    median_time_to_first_update_ms: l.medianTimeToFirstUpdateMs,
    median_customer_impact_ms: l.medianCustomerImpactMs,
    reports: l.reports,
    reporters: l.reporters,
    rows: l.rows.map(learningJson),
  },
})

export const subscriberJson = (s: Loaded<typeof listSubscribers>[number]): Out<typeof SubscriberOut> => ({
  id: s.id,
  email: s.target,
  state: s.unsubscribedAt != null ? 'unsubscribed' : s.confirmedAt != null ? 'confirmed' : 'pending',
  component_ids: s.componentIds,
  created_at: iso(s.createdAt)!,
  confirmed_at: iso(s.confirmedAt),
})

export const statusTokenJson = (
  t: Pick<Loaded<typeof listStatusTokens>[number], 'id' | 'label' | 'createdAt' | 'revokedAt'>,
): Out<typeof StatusTokenOut> => ({
  id: t.id,
  label: t.label,
  created_at: iso(t.createdAt)!,
  revoked_at: iso(t.revokedAt),
})
