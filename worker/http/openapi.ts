import { z } from 'zod'
import { AffectedInput, DeployInput, ErrorBody, IncidentList, NoticeList, NoticeSeenInput, ReportAccepted, ReportInput } from './schemas.js'

const components: Record<string, unknown> = {}

/** JSON Schema for a zod schema; named schemas (`.meta({ id })`) move to components/schemas. */
function schema(s: z.ZodType): unknown {
  const json = z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, any>
  delete json.$schema
  const defs = (json.$defs ?? {}) as Record<string, unknown>
  delete json.$defs
  const text = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'))
  for (const [name, def] of Object.entries(defs)) components[name] = text(def)
  return text(json)
}
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: schema(ErrorBody) } } })
const keyParams = [
  { name: 'X-Earshot-Key', in: 'header', required: false, schema: { type: 'string' }, description: 'Project public key (or ?key=).' },
  { name: 'key', in: 'query', required: false, schema: { type: 'string' } },
]

/** The public API's OpenAPI 3.1 document, generated from the zod schemas that validate requests. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    components: { schemas: components },
    info: { title: 'Earshot public API', version: '1', description: 'What the widget and integrations call. Errors: { error: { code, message } }.' },
    paths: {
      '/v1/reports': {
        post: {
          summary: 'Submit a customer report',
          parameters: [...keyParams, { name: 'Idempotency-Key', in: 'header', required: false, description: 'One key per report; retries repeat the same body. Keys starting with ext: or support: are reserved.', schema: { type: 'string', minLength: 8, maxLength: 128 } }],
          requestBody: { required: true, content: { 'application/json': { schema: schema(ReportInput) } } },
          responses: {
            '202': { description: 'Stored durably (or already stored under this idempotency key with the same body).', content: { 'application/json': { schema: schema(ReportAccepted) } } },
            '400': errorResponse('Invalid JSON or body, or invalid_idempotency_key'),
            '409': errorResponse('idempotency_key_reused: the key was used with a different body'),
            '401': errorResponse('Missing or unknown key'),
            '403': errorResponse('Origin not allowed'),
            '413': errorResponse('Body over 64 KB'),
            '415': errorResponse('Not JSON'),
            '429': errorResponse('Rate limited'),
            '503': errorResponse('Database unavailable; retry after Retry-After seconds'),
          },
        },
      },
      '/v1/incidents': {
        get: {
          summary: "The project's active public incidents with their latest update",
          parameters: keyParams,
          responses: {
            '200': { description: 'Active incidents (ETag; If-None-Match gives 304).', content: { 'application/json': { schema: schema(IncidentList) } } },
            '304': { description: 'Not modified' },
            '401': errorResponse('Missing or unknown key'),
          },
        },
      },
      '/v1/incidents/{id}/affected': {
        post: {
          summary: 'Record the customer as affected by a known incident ("notify me when fixed")',
          parameters: [...keyParams, { name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: schema(AffectedInput) } } },
          responses: { '202': { description: 'Recorded' }, '400': errorResponse('Invalid body or invalid_idempotency_key'), '404': errorResponse('No such public incident'), '409': errorResponse('idempotency_key_reused') },
        },
      },
      '/v1/notices': {
        get: {
          summary: 'Unseen "the problem you reported has been fixed" notices for one anonymous reporter',
          parameters: [...keyParams, { name: 'reporter_id', in: 'query', required: true, schema: { type: 'string', maxLength: 128 } }],
          responses: {
            '200': { description: 'Notices, newest first', content: { 'application/json': { schema: schema(NoticeList) } } },
            '400': errorResponse('reporter_id missing'),
          },
        },
      },
      '/v1/notices/{id}/seen': {
        post: {
          summary: 'Mark a notice as shown, so it is not listed again',
          parameters: [...keyParams, { name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: false, content: { 'application/json': { schema: schema(NoticeSeenInput) } } },
          responses: { '204': { description: 'Marked seen' }, '400': errorResponse('reporter_id missing'), '404': errorResponse('No such notice for this reporter') },
        },
      },
      '/v1/deploys': {
        post: {
          summary: 'Record a deploy marker (from CI); authenticated with an API token, not the public key',
          parameters: [{ name: 'Authorization', in: 'header', required: true, schema: { type: 'string' }, description: 'Bearer est_… (write scope)' }],
          requestBody: { required: true, content: { 'application/json': { schema: schema(DeployInput) } } },
          responses: {
            '201': { description: 'Recorded' },
            '401': errorResponse('Missing or unknown token'),
            '403': errorResponse('Token lacks the write scope'),
            '404': errorResponse('No such project in the token’s workspace'),
          },
        },
      },
      '/health': { get: { summary: 'Database reachability and writability', responses: { '200': { description: 'The database answers and takes writes: {"ok":true,"database":"up","writable":true}' }, '503': { description: 'Database unreachable ("database":"down") or not writable, e.g. disk full ("writable":false)' } } } },
    },
  }
}
