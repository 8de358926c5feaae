import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { DomainError, type DomainErrorKind } from '../domain/shared/index.js'

export { DatabaseUnavailableError, DomainError, isDatabaseOutage } from '../domain/shared/index.js'

/** Every error the API answers with has this shape and a stable machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } }
}

/** The status each kind of domain refusal answers with. */
export const STATUS_OF_KIND: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
}

/** The one mapping from a refusal (the HTTP layer's or the domain's) to the answer. */
export function sendError(c: Context, error: ApiError | DomainError) {
  if (error instanceof DomainError) {
    if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds))
    return c.json(errorBody(error.code, error.message), STATUS_OF_KIND[error.kind])
  }
  for (const [k, v] of Object.entries(error.headers)) c.header(k, v)
  return c.json(errorBody(error.code, error.message), error.status)
}

export const isRefusal = (error: unknown): error is ApiError | DomainError =>
  error instanceof ApiError || error instanceof DomainError
