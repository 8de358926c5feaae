// Customer reports in: a validated report stored once (idempotency), spam screening, customers and their
// people, screenshots (attachments/).
// The feature's one door: the rest of worker/ imports this file, never the leaves beside it.
export { submitReportWithAttachment } from './attachments/intake.js'
export { attachmentsOf, findAttachment, readAttachmentBytes, screenshotCount } from './attachments/read.js'
export { deleteAttachmentRows } from './attachments/rows.js'
export { MAX_ATTACHMENT_BYTES } from './attachments/sniff.js'
export { r2AttachmentStore, type AttachmentStore, type R2BucketLike } from './attachments/store.js'
export { deleteAttachmentBytes, sweepOrphanAttachments } from './attachments/sweep.js'
export { clientNetwork } from './client-network.js'
export { contactHash, customerReporterId, isServerAssignedReporter } from './customers.js'
export { externalIdKey, publicIdempotencyKey, staffKey } from './idempotency.js'
export { PERSON_KEY_SQL, personKeySql } from './people.js'
export { reporterStates } from './reporter-state.js'
export { normalizeRoute, routeFromUrl } from './route-normalize.js'
export { abuseCounts, countRateLimited, screenReport } from './spam.js'
export { submitReport } from './submit.js'
