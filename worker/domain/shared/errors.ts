// What the domain refuses, by kind. The domain never speaks HTTP: the app's one error handler
// (http/errors.ts `sendError`) turns a kind into a status and the JSON error shape; `code` is the
// stable machine-readable code clients see.
export type DomainErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable'

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    /** For rate_limited and unavailable: when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }
}

export const invalid = (code: string, message: string) => new DomainError('invalid', code, message)
export const notFound = (code = 'not_found', message = 'Not found.') => new DomainError('not_found', code, message)
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message)
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message)

/** The database did not answer: the client should come back instead of losing its data. */
export class DatabaseUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super('unavailable', 'database_unavailable', 'The database is not reachable right now; retry shortly.', 5)
    this.cause = cause
  }
}

/** Errors that mean the database itself is out of reach (not that a statement was wrong). */
export function isDatabaseOutage(error: unknown): boolean {
  const e = error as any
  const text = `${e?.code ?? ''} ${e?.message ?? ''} ${e?.cause?.code ?? ''} ${e?.cause?.message ?? ''}`
  return OUTAGE.test(text)
}

const OUTAGE = new RegExp(
  [
    'ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|fetch failed|SERVER_ERROR|SQLITE_BUSY|TRANSACTION_TIMEOUT',
    'TRANSACTION_LOST|SQLITE_CANTOPEN|SQLITE_IOERR|SQLITE_FULL|CLIENT_CLOSED|network|Failed to fetch',
    'HRANA_WEBSOCKET_ERROR|Hrana|unable to open database|disk I/O|database is locked',
  ].join('|'),
  'i',
)
