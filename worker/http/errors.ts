import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

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

export function sendError(c: Context, error: ApiError) {
  for (const [k, v] of Object.entries(error.headers)) c.header(k, v)
  return c.json(errorBody(error.code, error.message), error.status)
}

/** The database did not answer: tell the client to come back instead of losing its data. */
export class DatabaseUnavailableError extends ApiError {
  constructor(cause?: unknown) {
    super(503, 'database_unavailable', 'The database is not reachable right now; retry shortly.', { 'Retry-After': '5' })
    this.cause = cause
  }
}

/** Errors that mean the database itself is out of reach (not that a statement was wrong). */
export function isDatabaseOutage(error: unknown): boolean {
  const text = `${(error as any)?.code ?? ''} ${(error as any)?.message ?? ''} ${(error as any)?.cause?.code ?? ''} ${(error as any)?.cause?.message ?? ''}`
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|fetch failed|SERVER_ERROR|SQLITE_BUSY|TRANSACTION_TIMEOUT|TRANSACTION_LOST|SQLITE_CANTOPEN|SQLITE_IOERR|SQLITE_FULL|CLIENT_CLOSED|network|Failed to fetch|HRANA_WEBSOCKET_ERROR|Hrana|unable to open database|disk I\/O|database is locked/i.test(
    text,
  )
}
