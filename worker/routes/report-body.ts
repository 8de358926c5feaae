// The body of POST /v1/reports: JSON (as always), or multipart/form-data with the same JSON in a
// `report` field and at most one image in `screenshot`. One request carries both so the report and
// its image share one idempotency key and one transaction (domain/reports/attachments/intake.ts).
import { ApiError } from '../http/errors.js'
import { DEFAULT_BODY_LIMIT, limitBody } from '../http/body-limit.js'
import { readJsonBody } from '../http/validate.js'
import { MAX_ATTACHMENT_BYTES } from '../domain/reports/index.js'
import type { MiddlewareHandler } from 'hono'

const JSON_LIMIT = limitBody(DEFAULT_BODY_LIMIT)
const MULTIPART_LIMIT = limitBody(MAX_ATTACHMENT_BYTES + 80 * 1024)

const isMultipart = (req: Request) =>
  (req.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')

/** 64 KB for JSON; 2 MB of image + the JSON for multipart. */
export const REPORT_BODY_LIMIT: MiddlewareHandler = (c, next) =>
  (isMultipart(c.req.raw) ? MULTIPART_LIMIT : JSON_LIMIT)(c, next)

export async function readReportRequest(req: Request): Promise<{ body: unknown; image?: Uint8Array }> {
  if (!isMultipart(req)) return { body: await readJsonBody(req) }
  let form: FormData
  try {
    form = await req.formData()
  } catch {
    throw new ApiError(400, 'invalid_body', 'The multipart body could not be read.')
  }
  const report = form.get('report')
  if (typeof report !== 'string')
    throw new ApiError(400, 'invalid_body', 'report: send the report as JSON in a "report" field.')
  let body: unknown
  try {
    body = JSON.parse(report)
  } catch {
    throw new ApiError(400, 'invalid_json', 'report: not valid JSON.')
  }
  const files = form.getAll('screenshot')
  if (files.length > 1) throw new ApiError(400, 'too_many_attachments', 'One screenshot per report.')
  const file = files[0]
  if (file === undefined) return { body }
  if (typeof file === 'string') throw new ApiError(400, 'invalid_attachment', 'screenshot: send the image as a file.')
  return { body, image: new Uint8Array(await file.arrayBuffer()) }
}
