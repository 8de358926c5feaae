import { limitsFromEnv, type LimitSettings } from './http/rate-limit.js'

/** Runtime configuration, read once from the environment (process.env on Node, bindings on Workers). */
export interface Config {
  /** Domain under which each project's status page lives at `<slug>.<statusDomain>`. */
  statusDomain: string
  /** Public base URL of this deployment, used in e-mails and feeds; derived from the request when unset. */
  publicUrl?: string
  /** `development` relaxes checks that only make sense on the internet (secure cookies, webhook SSRF guard). */
  environment: 'development' | 'production' | 'test'
  /** Serve the demo host page at `/`. */
  demo: boolean
  /** Session lifetime. */
  sessionTtlMs: number
  /** Abuse limits over the defaults (worker/http/rate-limit.ts); env EARSHOT_RATE_LIMIT_*. */
  rateLimits?: Partial<LimitSettings>
  /** EARSHOT_SECRET_KEY: encrypts stored webhook signing secrets (AES-GCM). Required in production. */
  secretKey?: string
  /** E-mail through an HTTP API (Resend-compatible JSON): EMAIL_API_URL, EMAIL_API_KEY, EMAIL_FROM. Unset = e-mails wait in the outbox. */
  email?: { apiUrl: string; apiKey?: string; from: string }
}

export type Env = Record<string, string | undefined>

export function loadConfig(env: Env): Config {
  const environment = env.EARSHOT_ENV === 'production' || env.EARSHOT_ENV === 'test' ? env.EARSHOT_ENV : env.EARSHOT_ENV === 'development' ? 'development' : env.NODE_ENV === 'production' ? 'production' : 'development'
  return {
    statusDomain: env.STATUS_DOMAIN || 'status.localhost',
    publicUrl: env.PUBLIC_URL || undefined,
    environment,
    demo: env.EARSHOT_DEMO !== 'false',
    sessionTtlMs: Number(env.SESSION_TTL_HOURS || 24 * 7) * 3600_000,
    rateLimits: limitsFromEnv(env),
    secretKey: env.EARSHOT_SECRET_KEY || undefined,
    email: env.EMAIL_API_URL || env.EMAIL_API_KEY ? { apiUrl: env.EMAIL_API_URL || 'https://api.resend.com/emails', apiKey: env.EMAIL_API_KEY || undefined, from: env.EMAIL_FROM || 'Earshot <status@earshot.invalid>' } : undefined,
  }
}

/**
 * The database, by one name on both runtimes: `LIBSQL_URL` / `LIBSQL_AUTH_TOKEN`, with Turso's
 * `TURSO_DATABASE_URL` / `TURSO_AUTH_TOKEN` accepted as aliases (the LIBSQL_* name wins).
 * Read by the Node and Workers entries, `npm run db:migrate` and drizzle.config.ts.
 */
export function databaseFromEnv(env: Env): { url?: string; authToken?: string } {
  return {
    url: env.LIBSQL_URL || env.TURSO_DATABASE_URL || undefined,
    authToken: env.LIBSQL_AUTH_TOKEN || env.TURSO_AUTH_TOKEN || undefined,
  }
}
