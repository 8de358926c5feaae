// A report with a screenshot: one request (multipart: the report's JSON + the image), one
// idempotency key, one transaction. The bytes are put in the store first (durable), then the report
// and its attachment row commit together; if that fails, or the key was already stored, the new
// bytes are deleted again. So a report never points at a missing image, and a customer's image is
// never accepted without its report. A crash between the two steps can only leave unreferenced
// bytes, which `sweepOrphanAttachments` removes.
import { sha256Hex } from '../../shared/index.js'
import type { Deps } from '../../shared/index.js'
import { newId } from '../../shared/index.js'
import type { Project } from '../../projects/index.js'
import { submitReport, type Accepted, type IntakeMeta } from '../submit.js'
import type { ReportInput } from '../../../http/schemas.js'
import { DomainError } from '../../shared/index.js'
import { MAX_ATTACHMENT_BYTES, sniffImageType } from './sniff.js'
import type { StagedAttachment } from './rows.js'

/** Checks the image (size, sniffed type) and puts its bytes in the store. Throws the API's 4xx. */
export async function stageAttachment(deps: Deps, projectId: string, bytes: Uint8Array): Promise<StagedAttachment> {
  if (!bytes.length) throw new DomainError('invalid', 'invalid_attachment', 'The screenshot is empty.')
  if (bytes.length > MAX_ATTACHMENT_BYTES)
    throw new DomainError('too_large', 'attachment_too_large', 'The screenshot is larger than 2 MB.')
  const contentType = sniffImageType(bytes)
  if (!contentType)
    throw new DomainError(
      'unsupported',
      'unsupported_attachment_type',
      'The screenshot must be a PNG, JPEG or WebP image.',
    )
  if (!deps.attachments)
    throw new DomainError(
      'unavailable',
      'attachments_unavailable',
      'This server has no storage for screenshots configured.',
    )
  const id = newId('att', deps.clock.now())
  const staged = {
    id,
    storageKey: `${projectId}/${id}`,
    contentType,
    size: bytes.length,
    sha256: sha256Hex(bytes),
  }
  await deps.attachments.put(staged.storageKey, bytes, contentType)
  return staged
}

async function discard(deps: Deps, staged: StagedAttachment) {
  await deps.attachments?.delete([staged.storageKey]).catch(() => {}) // an orphan left here is swept later
}

/** `submitReport` with an optional screenshot; without one it is exactly `submitReport`. */
export async function submitReportWithAttachment(
  deps: Deps,
  project: Project,
  input: ReportInput,
  meta: IntakeMeta,
  image?: Uint8Array,
): Promise<Accepted> {
  if (!image) return submitReport(deps, project, input, meta)
  const staged = await stageAttachment(deps, project.id, image)
  let accepted: Accepted
  try {
    accepted = await submitReport(deps, project, input, { ...meta, attachment: staged })
  } catch (error) {
    await discard(deps, staged)
    throw error
  }
  if (accepted.duplicate) await discard(deps, staged) // the stored report keeps the image it came with
  return accepted
}
