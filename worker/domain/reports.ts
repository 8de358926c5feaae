import { sql } from 'drizzle-orm'
import type { Tx } from '../db/client.js'
import { firstRow, runStatement } from '../db/raw-sql.js'
import type { REPORT_SOURCES } from '../db/schema/index.js'
import type { ReportInput } from '../http/schemas.js'
import type { Deps } from './deps.js'
import { newId, newSecret } from './ids.js'
import { assertSameRequest, requestHash } from './idempotency.js'
import type { Project } from './projects.js'
import { scrubUrl } from './url-scrub.js'
import { observeReport } from './surge/detect.js'
import { assertSameAttachment, recordAttachment, type StagedAttachment } from './attachments/rows.js'

export interface IntakeMeta {
  idempotencyKey?: string
  userAgent?: string
  source?: (typeof REPORT_SOURCES)[number]
  channel?: string
  incidentId?: string
  /** "Me too" reports on a known incident are linked to it directly instead of being clustered. */
  skipClustering?: boolean
  /** Public API only: keyed hash of the client address (`surgeClientKey`); surges count one per address. */
  clientKey?: string
  /**
   * What identifies a retry: the client's request as it sent it (domain/idempotency.ts). Defaults
   * to the report input; routes pass their own body when they derive the input from more than it.
   */
  request?: unknown
  /** A screenshot already in the attachment store (domain/attachments/intake.ts): its row commits with the report. */
  attachment?: StagedAttachment
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
 * committed, so a 2xx always means durable. The same idempotency key with the same request
 * always yields the first report's answer and never a second row; with a different request it
 * throws 409 `idempotency_key_reused` (domain/idempotency.ts).
 */
export async function submitReport(deps: Deps, project: Project, input: ReportInput, meta: IntakeMeta = {}): Promise<Accepted> {
  const idempotencyKey = meta.idempotencyKey ?? input.idempotency_key ?? newSecret('auto')
  const hash = await requestHash(meta.request ?? input, { incident: meta.incidentId })
  return deps.db.write((tx) => storeReport(tx, deps, project, input, { ...meta, idempotencyKey, requestHash: hash }))
}

async function storeReport(tx: Tx, deps: Deps, project: Project, input: ReportInput, meta: IntakeMeta & { idempotencyKey: string; requestHash: string }): Promise<Accepted> {
  const now = deps.clock.now()
  const id = newId('rep', now)
  const context = input.context ?? {}
  const userAgent = meta.userAgent ?? context.user_agent ?? null
  // Raw SQL on the hot path: one statement claims the idempotency key and stores the report (the
  // unique index decides, so concurrent duplicates cannot both win), and it skips the query
  // builder's per-call cost, which profiling showed was a large share of ingest time.
  const inserted = await runStatement(tx, sql`
    INSERT INTO reports (id, project_id, idempotency_key, message, email, page_url, route, release, user_agent, locale,
      category, reporter_id, context, source, channel, incident_id, request_hash, created_at)
    VALUES (${id}, ${project.id}, ${meta.idempotencyKey}, ${input.message}, ${input.email ?? null},
      ${input.page_url ? scrubUrl(input.page_url) : null}, ${input.route ?? null}, ${input.release ?? null}, ${userAgent},
      ${input.locale ?? null}, ${input.category ?? null}, ${input.reporter_id ?? null}, ${JSON.stringify(context)},
      ${meta.source ?? 'widget'}, ${meta.channel ?? null}, ${meta.incidentId ?? null}, ${meta.requestHash}, ${now})
    ON CONFLICT (project_id, idempotency_key) DO NOTHING`)
  if (inserted.rowsAffected === 0) {
    const existing = await firstRow<{ id: string; cluster_id: string | null; request_hash: string | null }>(
      tx,
      sql`SELECT id, cluster_id, request_hash FROM reports WHERE project_id = ${project.id} AND idempotency_key = ${meta.idempotencyKey}`,
    )
    assertSameRequest(existing!.request_hash, meta.requestHash) // same key, another body → 409 idempotency_key_reused
    if (meta.attachment) await assertSameAttachment(tx, existing!.id, meta.attachment)
    return { id: existing!.id, clusterId: existing!.cluster_id, duplicate: true }
  }
  if (meta.attachment) await recordAttachment(tx, id, project.id, meta.attachment, now)
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
  // A report reaching a cluster already linked to an incident is linked to that incident too (status helper).
  await runStatement(tx, sql`UPDATE reports SET cluster_id = ${clusterId}, incident_id = coalesce(incident_id, (SELECT incident_id FROM clusters WHERE id = ${clusterId})) WHERE id = ${id}`)
  // Surge detection (worker/domain/surge): counts the report, and records + notifies a surge in this same transaction.
  await observeReport(tx, deps, { project, reportId: id, message: input.message, clusterId, reporterId: input.reporter_id, email: input.email, clientKey: meta.clientKey, release: input.release, createdAt: now })
  return { id, clusterId, duplicate: false }
}
