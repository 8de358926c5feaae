import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { firstRow, flatten, runStatement } from '../../db/raw-sql.js'
import type { REPORT_SOURCES } from '../../db/schema/index.js'
import type { ReportInput } from '../../http/schemas.js'
import type { Deps } from '../shared/index.js'
import { DomainError } from '../shared/index.js'
import { newId, newSecret } from '../shared/index.js'
import { assertSameRequest, requestHash } from './idempotency.js'
import { projectByKeyStatement, projectFromRow, type Project } from '../projects/index.js'
import { scrubUrl } from './url-scrub.js'
import { assertSameAttachment, recordAttachment, type StagedAttachment } from './attachments/rows.js'

export interface IntakeMeta {
  idempotencyKey?: string
  userAgent?: string
  source?: (typeof REPORT_SOURCES)[number]
  channel?: string
  incidentId?: string
  /** "Me too" reports on a known incident are linked to it directly and never clustered. */
  skipClustering?: boolean
  /** Public API only: keyed hash of the client address (`surgeClientKey`); surges count one per address. */
  clientKey?: string
  /**
   * What identifies a retry: the client's request as it sent it (domain/reports/idempotency.ts). Defaults
   * to the report input; routes pass their own body when they derive the input from more than it.
   */
  request?: unknown
  /** A screenshot already in the attachment store (reports/attachments/intake.ts): its row commits with the report. */
  attachment?: StagedAttachment
}

export interface Accepted {
  id: string
  /** True when this idempotency key had already been stored: nothing new was written. */
  duplicate: boolean
}

/**
 * The one intake path for every report (widget, support, help desk, CLI replays): ONE statement
 * stores the report, and the call resolves only once it has committed, so a 2xx always means
 * durable. Nothing else happens before the answer: the report pipeline (worker/domain/pipeline)
 * clusters, counts and surge-checks it afterwards, which is why no cluster is promised here. The
 * same idempotency key with the same request always yields the first report's id and never a
 * second row; with a different request it throws 409 `idempotency_key_reused` (domain/reports/idempotency.ts).
 */
export async function submitReport(
  deps: Deps,
  project: Project,
  input: ReportInput,
  meta: IntakeMeta = {},
): Promise<Accepted> {
  const idempotencyKey = meta.idempotencyKey ?? input.idempotency_key ?? newSecret('auto')
  const hash = await requestHash(meta.request ?? input, { incident: meta.incidentId })
  const full = { ...meta, idempotencyKey, requestHash: hash }
  const accepted =
    deps.db.writeOnce && !meta.attachment
      ? await storeInOneRequest(deps, project, input, full)
      : await deps.db.write((tx) => storeReport(tx, deps, project, input, full))
  if (!accepted.duplicate && !meta.skipClustering) await deps.pipeline.stored(accepted.id)
  return accepted
}

type FullMeta = IntakeMeta & { idempotencyKey: string; requestHash: string }

/**
 * Raw SQL on the hot path: one statement claims the idempotency key and stores the report (the
 * unique index decides, so concurrent duplicates cannot both win). processed_at stays null: the
 * report waits for the pipeline — except "me too" reports, which have nothing to be clustered.
 * client_key (the keyed hash surges count a client by) is kept only until the pipeline has
 * counted the report: the batch that processes it clears it.
 */
function insertReport(id: string, now: number, project: Project, input: ReportInput, meta: FullMeta, checkKey = false) {
  const context = input.context ?? {}
  const userAgent = meta.userAgent ?? context.user_agent ?? null
  // With `checkKey` (the project came from a cache) the row is only stored while the project still
  // has that public key: INSERT … SELECT … WHERE EXISTS, in the same statement.
  return sql`
    INSERT INTO reports (id, project_id, idempotency_key, message, email, page_url, route, release, user_agent, locale,
      category, reporter_id, context, source, channel, incident_id, request_hash, client_key, created_at, processed_at)
    ${checkKey ? sql`SELECT` : sql`VALUES (`}${id}, ${project.id}, ${meta.idempotencyKey}, ${input.message},
      ${input.email ?? null}, ${input.page_url ? scrubUrl(input.page_url) : null}, ${input.route ?? null},
      ${input.release ?? null}, ${userAgent},
      ${input.locale ?? null}, ${input.category ?? null}, ${input.reporter_id ?? null}, ${JSON.stringify(context)},
      ${meta.source ?? 'widget'}, ${meta.channel ?? null}, ${meta.incidentId ?? null}, ${meta.requestHash},
      ${meta.skipClustering ? null : (meta.clientKey ?? null)}, ${now}, ${meta.skipClustering ? now : null}${
        checkKey
          ? sql` WHERE EXISTS (SELECT 1 FROM projects WHERE id = ${project.id} AND public_key = ${project.publicKey})`
          : sql`)`
      }
    ON CONFLICT (project_id, idempotency_key) DO NOTHING`
}

const storedUnderKey = (project: Project, meta: FullMeta) =>
  sql`SELECT id, request_hash FROM reports
    WHERE project_id = ${project.id} AND idempotency_key = ${meta.idempotencyKey}`

/**
 * On a libSQL server (Workers; Node with `LIBSQL_URL=http://…`): the INSERT and the look-up of the
 * key's report in ONE request to the database (a libSQL batch, atomic), instead of a transaction's
 * round trips. On Node concurrent reports share that one batch (db/write-queue.ts `runStatements`);
 * each INSERT is idempotent by the unique index, and a batch that fails is run again report by
 * report, so one bad report cannot fail the others.
 */
async function storeInOneRequest(deps: Deps, project: Project, input: ReportInput, meta: FullMeta): Promise<Accepted> {
  const now = deps.clock.now()
  const id = newId('rep', now)
  const cache = deps.projectKeys
  const statements = [
    flatten(insertReport(id, now, project, input, meta, cache !== undefined))!,
    flatten(storedUnderKey(project, meta))!,
  ]
  // The project's current row comes back in the same request: the isolate's copy stays fresh for free.
  if (cache) statements.push(flatten(projectByKeyStatement(project.publicKey))!)
  const [inserted, existing, current] = await deps.db.writeOnce!(statements)
  const fresh = current?.rows[0]
  if (cache && fresh) cache.refresh(projectFromRow(fresh as unknown as Record<string, unknown>))
  if (inserted!.rowsAffected === 1) return { id, duplicate: false }
  const row = existing!.rows[0] as unknown as { id: string; request_hash: string | null } | undefined
  if (!row) {
    // Neither stored nor there before: the cached project's key was rotated (or the project deleted).
    deps.projectKeys?.forget(project.publicKey)
    throw new DomainError('unauthorized', 'invalid_key', 'Unknown project key.')
  }
  assertSameRequest(row.request_hash, meta.requestHash) // same key, another body → 409 idempotency_key_reused
  return { id: row.id, duplicate: true }
}

async function storeReport(
  tx: Tx,
  deps: Deps,
  project: Project,
  input: ReportInput,
  meta: FullMeta,
): Promise<Accepted> {
  const now = deps.clock.now()
  const id = newId('rep', now)
  // A project from the isolate's cache (Workers) is checked again here too (its key may have been rotated).
  const inserted = await runStatement(tx, insertReport(id, now, project, input, meta, deps.projectKeys !== undefined))
  if (inserted.rowsAffected === 0) {
    const existing = await firstRow<{ id: string; request_hash: string | null }>(tx, storedUnderKey(project, meta))
    if (!existing) {
      deps.projectKeys?.forget(project.publicKey)
      throw new DomainError('unauthorized', 'invalid_key', 'Unknown project key.')
    }
    assertSameRequest(existing!.request_hash, meta.requestHash) // same key, another body → 409 idempotency_key_reused
    // A retry carrying an image must carry the stored one (none is fine): else 409, nothing new kept.
    if (meta.attachment) await assertSameAttachment(tx, existing!.id, meta.attachment)
    return { id: existing!.id, duplicate: true }
  }
  // The screenshot's row commits in this same transaction: the report and its image appear together.
  if (meta.attachment) await recordAttachment(tx, id, project.id, meta.attachment, now)
  return { id, duplicate: false }
}
