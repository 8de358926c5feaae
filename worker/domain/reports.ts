import { and, eq } from 'drizzle-orm'
import type { Tx } from '../db/client.js'
import { reports, REPORT_SOURCES } from '../db/schema/index.js'
import type { ReportInput } from '../http/schemas.js'
import type { Deps } from './deps.js'
import { newId, newSecret } from './ids.js'
import type { Project } from './projects.js'
import { scrubUrl } from './url-scrub.js'
import { observeReport } from './surge/detect.js'

export interface IntakeMeta {
  idempotencyKey?: string
  userAgent?: string
  source?: (typeof REPORT_SOURCES)[number]
  channel?: string
  incidentId?: string
  /** "Me too" reports on a known incident are linked to it directly instead of being clustered. */
  skipClustering?: boolean
}

export interface Accepted {
  id: string
  clusterId: string | null
  /** True when this idempotency key had already been stored: nothing new was written. */
  duplicate: boolean
}

/**
 * The one intake path for every report (widget, support, help desk, CLI replays): stores the
 * report and clusters it in the same transaction. Resolves only once that transaction has
 * committed, so a 2xx always means durable. The same idempotency key always yields the first
 * report's answer and never a second row.
 */
export async function submitReport(deps: Deps, project: Project, input: ReportInput, meta: IntakeMeta = {}): Promise<Accepted> {
  const idempotencyKey = meta.idempotencyKey ?? input.idempotency_key ?? newSecret('auto')
  return deps.db.write((tx) => storeReport(tx, deps, project, input, { ...meta, idempotencyKey }))
}

async function storeReport(tx: Tx, deps: Deps, project: Project, input: ReportInput, meta: IntakeMeta & { idempotencyKey: string }): Promise<Accepted> {
  const existing = await tx
    .select({ id: reports.id, clusterId: reports.clusterId })
    .from(reports)
    .where(and(eq(reports.projectId, project.id), eq(reports.idempotencyKey, meta.idempotencyKey)))
    .get()
  if (existing) return { ...existing, duplicate: true }

  const now = deps.clock.now()
  const id = newId('rep', now)
  const context = input.context ?? {}
  const userAgent = meta.userAgent ?? context.user_agent ?? null
  await tx.insert(reports).values({
    id,
    projectId: project.id,
    idempotencyKey: meta.idempotencyKey,
    message: input.message,
    email: input.email ?? null,
    pageUrl: input.page_url ? scrubUrl(input.page_url) : null,
    route: input.route ?? null,
    release: input.release ?? null,
    userAgent,
    locale: input.locale ?? null,
    category: input.category ?? null,
    reporterId: input.reporter_id ?? null,
    context: JSON.stringify(context),
    source: meta.source ?? 'widget',
    channel: meta.channel ?? null,
    incidentId: meta.incidentId ?? null,
    createdAt: now,
  })
  if (meta.skipClustering) return { id, clusterId: null, duplicate: false }
  const clusterId = await deps.engine.assign(tx, {
    reportId: id,
    projectId: project.id,
    message: input.message,
    route: input.route,
    release: input.release,
    category: input.category,
    reporterId: input.reporter_id,
    userAgent,
    locale: input.locale,
    errors: (context.errors ?? []).map((e) => e.message),
    createdAt: now,
  })
  await tx.update(reports).set({ clusterId }).where(eq(reports.id, id))
  // Surge detection (worker/domain/surge): counts the report, and records + notifies a surge in this same transaction.
  await observeReport(tx, deps, { project, reportId: id, clusterId, reporterId: input.reporter_id, email: input.email, release: input.release, createdAt: now })
  return { id, clusterId, duplicate: false }
}
