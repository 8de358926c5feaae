import type { Context, MiddlewareHandler } from 'hono'
import type { Clock } from '../clock.js'
import type { Database } from '../db/client.js'
import { countRateLimitHit } from '../domain/access/index.js'
import { ApiError } from './errors.js'
import { clientNetwork } from '../domain/reports/index.js'

/**
 * Fixed-window counters: `hit` counts one request for `key` in the window that `now` falls in and
 * says whether it is within `limit`. One interface, two homes: memory on Node (one process serves
 * everything) and the database on Workers (isolates share nothing else).
 */
export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number): Promise<RateDecision>
}

export interface RateDecision {
  ok: boolean
  count: number
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number
}

function decide(count: number, limit: number, windowStart: number, windowMs: number, now: number): RateDecision {
  return { ok: count <= limit, count, retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) }
}

/** In-process counters; the map is swept when it grows, so a flood of keys cannot exhaust memory. */
export function memoryRateLimiter(clock: Clock, maxKeys = 100_000): RateLimiter {
  const windows = new Map<string, { start: number; windowMs: number; count: number }>()
  return {
    async hit(key, limit, windowMs) {
      const now = clock.now()
      const start = Math.floor(now / windowMs) * windowMs
      let w = windows.get(key)
      if (!w || w.start !== start) {
        if (windows.size >= maxKeys) {
          for (const [k, v] of windows) if (v.start + v.windowMs <= now) windows.delete(k)
          if (windows.size >= maxKeys) windows.clear()
        }
        w = { start, windowMs, count: 0 }
        windows.set(key, w)
      }
      w.count++
      return decide(w.count, limit, start, windowMs, now)
    },
  }
}

/**
 * Counters in the `rate_limits` table (storage: domain/access/rate-limits.ts): one upsert per request,
 * which holds across Workers isolates. It is a single autocommit statement (atomic on its own: one
 * round trip to Turso instead of the three of a transaction), so it is meant for a database without
 * the in-process write queue, as on Workers; on Node use `memoryRateLimiter` (a write outside the
 * queue could meet the queue's open transaction). Keys are hashed so no client address is stored in the clear.
 */
export function databaseRateLimiter(db: Database, clock: Clock): RateLimiter {
  return {
    async hit(key, limit, windowMs) {
      const now = clock.now()
      const start = Math.floor(now / windowMs) * windowMs
      return decide(await countRateLimitHit(db, key, start), limit, start, windowMs, now)
    },
  }
}

/** Cloudflare's rate-limiting binding (wrangler.toml `[[ratelimits]]`): its limit and period live in the binding. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>
}

/** The rules the Workers entry counts with Cloudflare's bindings (per minute, on every /v1 request), by rule name. */
export const BINDING_RULES = {
  reports: 'reports',
  reads: 'requests',
  perAddress: 'requests from this address',
} as const

/**
 * Workers: the per-minute rules every widget request meets (reports, reads, per address) are
 * counted by Cloudflare's rate-limiting bindings — no database write per request. The binding's
 * own `limit`/`period` (wrangler.toml) decides; the configured limit only switches a rule off
 * (`EARSHOT_ENV=test`: no limits). Rules with longer windows (sign-in per 15 min, subscriptions
 * and domain checks per hour, repeated reports per 10 min), which the binding's 10/60 s periods
 * cannot express, go to `fallback` (the database). Cloudflare counts per location and does not
 * say when a window ends: Retry-After is the rest of the current minute, and a refusal is
 * reported as the window's first (for the abuse counts) once per key and minute per isolate.
 */
export function cloudflareRateLimiter(
  bindings: Partial<Record<string, RateLimitBinding>>,
  fallback: RateLimiter,
  clock: Clock,
): RateLimiter {
  const refused = new Map<string, number>()
  return {
    async hit(key, limit, windowMs) {
      const binding = bindings[key.slice(0, key.indexOf('\n'))]
      if (!binding || windowMs !== 60_000) return fallback.hit(key, limit, windowMs)
      const now = clock.now()
      const start = Math.floor(now / windowMs) * windowMs
      if (limit >= NO_LIMITS.readsPerMinute) return decide(0, limit, start, windowMs, now)
      const { success } = await binding.limit({ key })
      if (success) return decide(1, limit, start, windowMs, now)
      const first = refused.get(key) !== start
      if (first) {
        if (refused.size >= 10_000) refused.clear()
        refused.set(key, start)
      }
      return decide(limit + (first ? 1 : 2), limit, start, windowMs, now)
    },
  }
}

/** How each runtime tells who is calling. */
export type ClientAddress = (c: Context) => string

/**
 * Without an entry-specific resolver there is no trustworthy address (a header could be forged
 * on Node), so every caller shares one bucket: limits still hold, just coarser.
 */
export const unknownClientAddress: ClientAddress = () => 'unknown'

/** Cloudflare sets this header itself and strips any the client sent. */
export const cloudflareClientAddress: ClientAddress = (c) => c.req.header('cf-connecting-ip') ?? 'unknown'

/**
 * Behind a reverse proxy every request comes from the proxy's address, and per-address limits
 * would throttle all customers together. `EARSHOT_TRUST_PROXY` says what to believe instead:
 * `cloudflare` → CF-Connecting-IP; a number n → the n-th address from the right of
 * X-Forwarded-For (1 = the one our own proxy added). Unset: the socket address, never a header.
 */
export function proxiedClientAddress(setting: string | undefined, socket: ClientAddress): ClientAddress {
  if (!setting) return socket
  if (setting === 'cloudflare') return (c) => c.req.header('cf-connecting-ip') ?? socket(c)
  const hops = Number(setting)
  if (!Number.isInteger(hops) || hops < 1) return socket
  return (c) => {
    const chain = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    return chain[chain.length - hops] ?? socket(c)
  }
}

export interface LimitRule {
  /** Names the bucket and the error message. */
  name: string
  limit: number
  windowMs: number
  /** The subject counted, e.g. project key + address; undefined skips this rule. */
  subject(c: Context): string | undefined | Promise<string | undefined>
}

export class RateLimitedError extends ApiError {
  constructor(retryAfter: number, what: string) {
    super(429, 'rate_limited', `Too many ${what}; try again in ${retryAfter} s.`, { 'Retry-After': String(retryAfter) })
  }
}

/** Checks every rule (each counts the request) and answers 429 + Retry-After if any is over. */
export type OnLimited = (c: Context, rule: LimitRule, decision: RateDecision) => void | Promise<void>

export function rateLimit(limiter: RateLimiter, rules: LimitRule[], onLimited?: OnLimited): MiddlewareHandler {
  return async (c, next) => {
    let worst: { rule: LimitRule; decision: RateDecision } | undefined
    for (const rule of rules) {
      const subject = await rule.subject(c)
      if (subject === undefined) continue
      const decision = await limiter.hit(`${rule.name}\n${subject}`, rule.limit, rule.windowMs)
      if (!decision.ok && (!worst || decision.retryAfter > worst.decision.retryAfter)) worst = { rule, decision }
    }
    if (worst) {
      await onLimited?.(c, worst.rule, worst.decision)
      throw new RateLimitedError(worst.decision.retryAfter, worst.rule.name)
    }
    await next()
  }
}

/** Per-deployment limits. */
export interface LimitSettings {
  reportsPerMinute: number
  readsPerMinute: number
  perAddressPerMinute: number
  loginsPerAddressPer15Min: number
  loginsPerEmailPer15Min: number
  subscribesPerAddressPerHour: number
  /** The same report text from one address (new idempotency keys each time) per 10 minutes. */
  repeatsPer10Min: number
  /** Custom-domain checks (each one a DNS lookup made for the caller) per project per hour. */
  domainChecksPerProjectPerHour: number
}

export const DEFAULT_LIMITS: LimitSettings = {
  reportsPerMinute: 20,
  readsPerMinute: 300,
  perAddressPerMinute: 600,
  loginsPerAddressPer15Min: 20,
  loginsPerEmailPer15Min: 10,
  subscribesPerAddressPerHour: 10,
  repeatsPer10Min: 3,
  domainChecksPerProjectPerHour: 30,
}

/**
 * `EARSHOT_ENV=test` runs without limits (tests of other areas send bursts from one address on a
 * frozen clock); tests of the limits themselves pass `config.rateLimits`.
 */
export const NO_LIMITS: LimitSettings = Object.fromEntries(
  Object.keys(DEFAULT_LIMITS).map((k) => [k, Number.MAX_SAFE_INTEGER]),
) as unknown as LimitSettings

const ENV_NAMES: Record<keyof LimitSettings, string> = {
  reportsPerMinute: 'EARSHOT_RATE_LIMIT_REPORTS_PER_MINUTE',
  readsPerMinute: 'EARSHOT_RATE_LIMIT_READS_PER_MINUTE',
  perAddressPerMinute: 'EARSHOT_RATE_LIMIT_ADDRESS_PER_MINUTE',
  loginsPerAddressPer15Min: 'EARSHOT_RATE_LIMIT_LOGINS_PER_ADDRESS',
  loginsPerEmailPer15Min: 'EARSHOT_RATE_LIMIT_LOGINS_PER_EMAIL',
  subscribesPerAddressPerHour: 'EARSHOT_RATE_LIMIT_SUBSCRIBES_PER_HOUR',
  repeatsPer10Min: 'EARSHOT_RATE_LIMIT_REPEATS_PER_10_MIN',
  domainChecksPerProjectPerHour: 'EARSHOT_RATE_LIMIT_DOMAIN_CHECKS_PER_HOUR',
}

/** The limits set in the environment (only those set). */
export function limitsFromEnv(env: Record<string, string | undefined>): Partial<LimitSettings> {
  const out: Partial<LimitSettings> = {}
  for (const [key, name] of Object.entries(ENV_NAMES) as [keyof LimitSettings, string][]) {
    const v = Number(env[name])
    if (env[name] && Number.isFinite(v) && v > 0) out[key] = v
  }
  return out
}

export function resolveLimits(
  environment: string,
  ...overrides: (Partial<LimitSettings> | undefined)[]
): LimitSettings {
  return Object.assign({}, environment === 'test' ? NO_LIMITS : DEFAULT_LIMITS, ...overrides.filter(Boolean))
}

/** What the app carries for abuse limits: the counters, who is calling, and the limits. */
export interface Guard {
  limiter: RateLimiter
  clientAddress: ClientAddress
  settings: LimitSettings
}

const MINUTE = 60_000
/** Accepting an invitation shares sign-in's budgets: one more door must not mean more guesses. */
const ACCEPT_PATH = /^\/api\/invitations\/by-token\/[^/]+\/accept$/
/** "Check DNS now" for a custom status domain: the match names the project. */
const DOMAIN_CHECK_PATH = /^\/api\/projects\/([^/]+)\/status-page\/verify$/

/** The public key a /v1 request names, as sent (checked later by the routes). */
const projectKeyOf = (c: Context) => (c.req.header('x-earshot-key') ?? c.req.query('key') ?? '').slice(0, 128)

/**
 * The limits of every public entry point, in one middleware registered before all routes (so a
 * host-based status page is covered too):
 * - `/v1/*` writes (reports, "affected"): per project key + client address, and per address over
 *   all keys (so rotating made-up keys does not help); reads: a larger per key + address budget.
 * - `POST /api/session` (sign-in) and `POST /api/invitations/by-token/:t/accept`: one budget per
 *   address and one per e-mail (the body's, read after the app-wide body limit), every attempt.
 * - `POST …/subscribe` (status page subscriptions, which send e-mail): per address per hour.
 * - `POST /api/projects/:id/status-page/verify` (a DNS lookup each): per project per hour, so a
 *   signed-in member cannot use us to hammer a resolver.
 * Preflights, health checks and everything else pass untouched.
 */
export function abuseLimits(guard: Guard, onLimited?: OnLimited): MiddlewareHandler {
  const s = guard.settings
  // Per network, not per address: an IPv6 client can pick any address in its /64.
  const address = (c: Context) => clientNetwork(guard.clientAddress(c))
  const perAddress: LimitRule = {
    name: 'requests from this address',
    limit: s.perAddressPerMinute,
    windowMs: MINUTE,
    subject: address,
  }
  const writes = rateLimit(
    guard.limiter,
    [
      {
        name: 'reports',
        limit: s.reportsPerMinute,
        windowMs: MINUTE,
        subject: (c) => `${projectKeyOf(c)}\n${address(c)}`,
      },
      perAddress,
    ],
    onLimited,
  )
  const reads = rateLimit(
    guard.limiter,
    [
      {
        name: 'requests',
        limit: s.readsPerMinute,
        windowMs: MINUTE,
        subject: (c) => `${projectKeyOf(c)}\n${address(c)}`,
      },
      perAddress,
    ],
    onLimited,
  )
  const logins = rateLimit(guard.limiter, [
    {
      name: 'sign-in attempts from this address',
      limit: s.loginsPerAddressPer15Min,
      windowMs: 15 * MINUTE,
      subject: address,
    },
    {
      name: 'sign-in attempts for this account',
      limit: s.loginsPerEmailPer15Min,
      windowMs: 15 * MINUTE,
      subject: async (c) => {
        const body = await c.req.json().catch(() => undefined)
        const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase().slice(0, 320) : ''
        return email || undefined
      },
    },
  ])
  const subscribes = rateLimit(guard.limiter, [
    {
      name: 'subscriptions from this address',
      limit: s.subscribesPerAddressPerHour,
      windowMs: 60 * MINUTE,
      subject: address,
    },
  ])
  const domainChecks = rateLimit(guard.limiter, [
    {
      name: 'domain checks for this project',
      limit: s.domainChecksPerProjectPerHour,
      windowMs: 60 * MINUTE,
      subject: (c) => DOMAIN_CHECK_PATH.exec(c.req.path)?.[1],
    },
  ])

  return async (c, next) => {
    const method = c.req.method
    if (method === 'OPTIONS' || method === 'HEAD') return next()
    const path = c.req.path
    if (path.startsWith('/v1/') && !path.startsWith('/v1/deploys'))
      return method === 'GET' ? reads(c, next) : writes(c, next)
    if (method === 'POST' && (path === '/api/session' || ACCEPT_PATH.test(path))) return logins(c, next)
    if (method === 'POST' && /(^|\/)subscribe$/.test(path)) return subscribes(c, next)
    if (method === 'POST' && DOMAIN_CHECK_PATH.test(path)) return domainChecks(c, next)
    return next()
  }
}
