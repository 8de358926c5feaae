// Idempotency keys: who may use which part of the key space, and what makes a request a retry.
//
// The public API (widget, /v1) and the staff API (support, help desks) share one unique index per
// project, so they must never be able to name each other's keys: a widget request with
// `Idempotency-Key: ext:ZD-13975` used to claim the key a help-desk ticket would arrive with, and
// the real ticket was answered with the attacker's report and never stored. Keys the server
// derives live under reserved prefixes the public API refuses.
//
// A key names one request: a retry must carry the same body. The SHA-256 of the canonical body is
// stored with the report; the same key with a different body is a 409, never a silent "here is
// the first report" that throws the new one away.
import { DomainError, sha256Hex } from '../shared/index.js'

/** Help-desk ticket ids (`external_id`) and keys chosen on the staff API live under these. */
export const RESERVED_KEY_PREFIXES = ['ext:', 'support:'] as const

export const externalIdKey = (externalId: string) => `ext:${externalId}`
export const staffKey = (key: string) => `support:${key}`

/** Validates a key a public client chose (header or body): 8–128 characters, none of our prefixes. */
export function publicIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined
  if (key.length < 8 || key.length > 128)
    throw new DomainError('invalid', 'invalid_idempotency_key', 'Idempotency-Key must be 8 to 128 characters.')
  const lower = key.toLowerCase()
  if (RESERVED_KEY_PREFIXES.some((p) => lower.startsWith(p))) {
    throw new DomainError(
      'invalid',
      'invalid_idempotency_key',
      `Idempotency-Key must not start with ${RESERVED_KEY_PREFIXES.join(' or ')} ` +
        '(reserved for help-desk and support keys).',
    )
  }
  return key
}

/** JSON with object keys sorted at every level and undefined left out: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/**
 * The hash stored with a report: the request as the client sent it, without the key itself, and
 * what it was sent to (e.g. the incident of a "me too").
 */
export async function requestHash(request: unknown, target: Record<string, unknown> = {}): Promise<string> {
  const body =
    request && typeof request === 'object' && !Array.isArray(request)
      ? { ...(request as Record<string, unknown>), idempotency_key: undefined }
      : request
  return sha256Hex(canonicalJson({ ...target, request: body }))
}

/** A stored key met again: the same request gets the stored answer, another one a 409. */
export function assertSameRequest(storedHash: string | null, hash: string): void {
  // NULL: stored before hashes were kept; nothing to compare, so it is treated as the same request.
  if (storedHash !== null && storedHash !== hash) {
    throw new DomainError(
      'conflict',
      'idempotency_key_reused',
      'This idempotency key was already used for a different report. ' +
        'Send a new key for a new report; retries must repeat the same body.',
    )
  }
}
