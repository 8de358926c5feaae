import { limitsFromEnv, type LimitSettings } from './http/rate-limit.js'

/** Runtime configuration, read once from the environment (process.env on Node, bindings on Workers). */
export interface Config {
  /** Domain under which each project's status page lives at `<slug>.<statusDomain>`. */
  statusDomain: string
  /**
   * PUBLIC_URL: the address people use for this deployment (no trailing slash). Every absolute link
   * that leaves a request — e-mails, feeds, webhooks, summary.json — is built from it (or from a
   * verified custom domain), never from the request's Host. Required in production (empty then
   * until `configProblems` refuses to start); elsewhere it defaults to http://localhost:<PORT>.
   */
  publicUrl: string
  /**
   * EARSHOT_TRUST_PROXY: a reverse proxy in front (`cloudflare`, or the number of proxy hops).
   * Then X-Forwarded-For gives the caller's address and X-Forwarded-Proto / X-Forwarded-Host the
   * scheme and host the browser used (origin checks, Secure cookies, status hosts).
   */
  trustProxy?: string
  /** EARSHOT_DOH_URL: DNS-over-HTTPS JSON endpoint for custom-domain checks where there is no resolver (Workers). */
  dohUrl?: string
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
  /**
   * E-mail through an HTTP API (Resend-compatible JSON): EMAIL_API_URL, EMAIL_API_KEY, EMAIL_FROM.
   * Unset = e-mails wait in the outbox.
   */
  email?: { apiUrl: string; apiKey?: string; from: string }
}

export type Env = Record<string, string | undefined>

export function loadConfig(env: Env): Config {
  const environment =
    env.EARSHOT_ENV === 'production' || env.EARSHOT_ENV === 'test'
      ? env.EARSHOT_ENV
      : env.EARSHOT_ENV === 'development'
        ? 'development'
        : env.NODE_ENV === 'production'
          ? 'production'
          : 'development'
  return {
    statusDomain: env.STATUS_DOMAIN || 'status.localhost',
    publicUrl: (
      env.PUBLIC_URL?.trim() || (environment === 'production' ? '' : `http://localhost:${env.PORT || 8787}`)
    ).replace(/\/+$/, ''),
    trustProxy: env.EARSHOT_TRUST_PROXY?.trim() || undefined,
    dohUrl: env.EARSHOT_DOH_URL || undefined,
    environment,
    demo: env.EARSHOT_DEMO !== 'false',
    sessionTtlMs: Number(env.SESSION_TTL_HOURS || 24 * 7) * 3600_000,
    rateLimits: limitsFromEnv(env),
    secretKey: env.EARSHOT_SECRET_KEY || undefined,
    email:
      env.EMAIL_API_URL || env.EMAIL_API_KEY
        ? {
            apiUrl: env.EMAIL_API_URL || 'https://api.resend.com/emails',
            apiKey: env.EMAIL_API_KEY || undefined,
            from: env.EMAIL_FROM || 'Earshot <status@earshot.invalid>',
          }
        : undefined,
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

/** A deployment that cannot run safely refuses to start, with every reason at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Earshot is not configured correctly:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

/** What is wrong with a configuration (empty when it can run). */
export function configProblems(config: Config): string[] {
  const problems: string[] = []
  if (!config.publicUrl) {
    if (config.environment === 'production') {
      problems.push(
        'PUBLIC_URL is required in production: the https:// address of this deployment ' +
          '(e.g. https://earshot.example.com). ' +
          'Links in e-mails, feeds and webhooks are built from it, never from the Host of a request.',
      )
    }
  } else {
    let url: URL | undefined
    try {
      url = new URL(config.publicUrl)
    } catch {
      url = undefined
    }
    if (
      !url ||
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.search ||
      url.hash ||
      url.username ||
      url.password
    ) {
      problems.push(
        'PUBLIC_URL must be an absolute http(s) URL without query, fragment or credentials ' +
          `(got ${JSON.stringify(config.publicUrl)}).`,
      )
    } else if (config.environment === 'production' && url.protocol !== 'https:') {
      problems.push(
        `PUBLIC_URL must use https:// in production (got ${config.publicUrl}): ` +
          'session and status-page cookies are Secure there.',
      )
    }
  }
  if (
    config.trustProxy !== undefined &&
    config.trustProxy !== 'cloudflare' &&
    !/^[1-9]\d{0,1}$/.test(config.trustProxy)
  ) {
    problems.push(
      'EARSHOT_TRUST_PROXY must be `cloudflare` or the number of proxies in front (1, 2, …); ' +
        `got ${JSON.stringify(config.trustProxy)}.`,
    )
  }
  return problems
}

/** Throws ConfigError when the configuration cannot run (both entries call this before serving). */
export function assertRunnableConfig(config: Config): void {
  const problems = configProblems(config)
  if (problems.length) throw new ConfigError(problems)
}
