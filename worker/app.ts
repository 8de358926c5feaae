import { Hono, type MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Clock } from './clock.js'
import type { Config } from './config.js'
import type { Database } from './db/client.js'
import { ClusterEngine, type EngineSettings } from './domain/clustering/index.js'
import type { Deps } from './domain/shared/index.js'
import { Pipeline, type PipelineOptions } from './domain/pipeline/index.js'
import { foldClusterCounters } from './domain/surge/index.js'
import { ApiError, DatabaseUnavailableError, errorBody, isDatabaseOutage, isRefusal, sendError } from './http/errors.js'
import { describe, json, openApiDocument } from './http/openapi.js'
import { HealthOut, OpenApiOut, type Out } from './http/schemas.js'
import { securityHeaders } from './http/security-headers.js'
import { defaultBodyLimit } from './http/body-limit.js'
import { REPORT_BODY_LIMIT } from './routes/report-body.js'
import {
  abuseLimits,
  resolveLimits,
  memoryRateLimiter,
  unknownClientAddress,
  type ClientAddress,
  type LimitSettings,
  type RateLimiter,
} from './http/rate-limit.js'
import { apiRoutes } from './routes/api/index.js'
import { demoRoutes } from './routes/demo.js'
import { deployRoutes } from './routes/deploys.js'
import { publicRoutes } from './routes/public.js'
import { publicCors } from './http/public-cors.js'
import { countRateLimited } from './domain/reports/index.js'
import { statusHostMiddleware, statusRoutes } from './routes/status/index.js'
import { emailSenderFromConfig } from './domain/notifications/index.js'
import { configureOutbox, newOutboxState } from './domain/notifications/index.js'
import { dohTxtLookup, type TxtLookup } from './domain/incidents/index.js'
import type { AttachmentStore } from './domain/reports/index.js'
import { ProjectKeyCache, prepareProjectByKey } from './domain/projects/index.js'
import type { ResponseCache } from './http/response-cache.js'
import { checkHealth, newHealthProbe } from './domain/shared/index.js'
import { newStatusCache } from './domain/incidents/index.js'

export interface AppDeps {
  db: Database
  clock: Clock
  config: Config
  /** Clustering engine parameters (the server's defaults otherwise). */
  engine?: EngineSettings
  /** How the report pipeline runs: the Node server turns on `auto`; tests and replays drive it. */
  pipeline?: Partial<PipelineOptions>
  /** Where unexpected errors are reported; never given secrets. */
  log?: (message: string) => void
  /** Abuse-limit counters: memory by default (Node); the Workers entry passes the database one. */
  rateLimiter?: RateLimiter
  /** Who is calling: Node's socket address, Cloudflare's CF-Connecting-IP; unknown otherwise. */
  clientAddress?: ClientAddress
  limits?: Partial<LimitSettings>
  /**
   * How webhooks are POSTed. The Node entries pass `nodeWebhookFetch` (it connects only to the
   * address its SSRF check resolved); Workers use the global fetch, which cannot reach private
   * networks. Node-only code stays out of this file so the Workers bundle has no node:* import.
   */
  webhookFetch?: typeof fetch
  /**
   * DNS TXT lookups for custom-domain verification: the Node entry passes the system resolver;
   * default DNS over HTTPS.
   */
  lookupTxt?: TxtLookup
  /** Where screenshot bytes live: the Node entry passes a directory store, Workers an R2 one. */
  attachments?: AttachmentStore
  /**
   * Keep public-key → project look-ups in memory this long (Workers: 15 s). Default: 15 s on a
   * libSQL server (the report's one write checks the key again, so intake is one request), off on
   * an embedded file (a look-up there costs no round trip).
   */
  projectKeyTtlMs?: number
  /** Widget incident polls served from here for a few seconds (Workers: the Cache API). */
  responseCache?: ResponseCache
}

const REMOTE_PROJECT_KEY_TTL_MS = 15_000

/** The dependencies of one entry (Node process, Workers isolate, CLI, test): built once, shared by everything. */
export function createDeps(appDeps: AppDeps): Deps {
  const guard = {
    limiter: appDeps.rateLimiter ?? memoryRateLimiter(appDeps.clock),
    clientAddress: appDeps.clientAddress ?? unknownClientAddress,
    settings: resolveLimits(appDeps.config.environment, appDeps.limits, appDeps.config.rateLimits),
  }
  const log = appDeps.log ?? ((m: string) => console.error(m))
  const engine = new ClusterEngine(
    { db: appDeps.db, clock: appDeps.clock, onMerge: foldClusterCounters },
    appDeps.engine,
  )
  const lookupTxt = appDeps.lookupTxt ?? dohTxtLookup(appDeps.config.dohUrl)
  const keyTtlMs = appDeps.projectKeyTtlMs ?? (appDeps.db.remote ? REMOTE_PROJECT_KEY_TTL_MS : undefined)
  const projectKeys = keyTtlMs ? new ProjectKeyCache(keyTtlMs, () => Date.now()) : undefined
  const deps = {
    db: appDeps.db,
    clock: appDeps.clock,
    config: appDeps.config,
    engine,
    guard,
    log,
    lookupTxt,
    attachments: appDeps.attachments,
    projectKeys,
    responseCache: appDeps.responseCache,
    // What this entry remembers between requests: here, never in module-level variables.
    jobRuns: new Map(),
    healthProbe: newHealthProbe(),
    projectByKeyQuery: prepareProjectByKey(appDeps.db.orm),
    outbox: newOutboxState(),
    surgePrune: { at: 0 },
    statusCache: newStatusCache(),
    statusHosts: new Map(),
  } as Deps
  deps.pipeline = new Pipeline(deps, { log, ...appDeps.pipeline })
  // E-mail (status subscribers, reporters) leaves through the outbox with the configured HTTP API.
  const sendEmail = emailSenderFromConfig(deps.config)
  if (sendEmail) configureOutbox(deps, { sendEmail })
  if (appDeps.webhookFetch) configureOutbox(deps, { fetch: appDeps.webhookFetch })
  return deps
}

export interface AppOptions {
  /** Serves the built static files (widget, dashboard) for whatever no route answered. */
  assets?: MiddlewareHandler
}

/** The one Earshot app over the entry's dependencies. Entries (Node, Workers) only build those. */
export function createApp(deps: Deps, options: AppOptions = {}) {
  const log = deps.log
  const app = new Hono()

  app.onError((error, c) => {
    if (isRefusal(error)) return sendError(c, error)
    if (isDatabaseOutage(error)) return sendError(c, new DatabaseUnavailableError(error))
    // hono's own refusals (e.g. its JSON validator on a malformed body) are client errors, not 500s.
    if (error instanceof HTTPException && error.status < 500) {
      const code = /json/i.test(error.message)
        ? 'invalid_json'
        : error.status === 413
          ? 'body_too_large'
          : 'bad_request'
      return c.json(errorBody(code, error.message || 'Bad request.'), error.status)
    }
    log(`unexpected error on ${c.req.method} ${new URL(c.req.url).pathname}: ${error?.stack ?? error}`)
    return c.json(errorBody('internal_error', 'Something went wrong on our side.'), 500)
  })

  // Security headers wrap everything (they are decided by what the answer turned out to be).
  app.use('*', securityHeaders({ hsts: deps.config.environment === 'production' }))
  // The widget's API answers CORS first (deploy markers are server-to-server: no CORS), so even the
  // body-size and abuse-limit refusals below are readable by the widget.
  app.use('/v1/*', (c, next) => (c.req.path.startsWith('/v1/deploys') ? next() : publicCors(c, next)))
  // Body size before anything can read a body (the sign-in limiter below reads the e-mail from it).
  // The one exemption: a report may carry one screenshot (multipart, ≤ 2 MB + its JSON), bounded
  // by its own limit (routes/report-body.ts); everything else keeps the default.
  app.use('*', defaultBodyLimit([{ method: 'POST', path: '/v1/reports', limit: REPORT_BODY_LIMIT }]))
  // Rate limits next: they must also cover host-based status pages and refuse before any work.
  app.use(
    '*',
    abuseLimits(deps.guard!, (c, rule, d) => countRateLimited(deps, c, d.count === rule.limit + 1)),
  )
  // Status pages at the root of their own host (<slug>.<STATUS_DOMAIN>, custom domains) come first.
  app.use('*', statusHostMiddleware(deps))

  // 200 only when the database answers AND takes a write (a full disk still answers reads).
  const healthDoc = describe({
    id: 'getHealth',
    tag: 'health',
    auth: 'open',
    summary: 'Database reachability and writability',
    responses: {
      '200': json(HealthOut, 'The database answers and takes writes'),
      '503': json(
        HealthOut,
        'Database unreachable ("database":"down") or not writable, e.g. disk full ("writable":false); Retry-After',
      ),
    },
  })
  app.get('/health', healthDoc, async (c) => {
    const health = (await checkHealth(deps, log)) satisfies Out<typeof HealthOut>
    if (health.ok) return c.json(health)
    c.header('Retry-After', '5')
    return c.json(health, 503)
  })
  // Built from the routes' own descriptions on first request (they do not change while running).
  let document: Promise<object> | undefined
  const openApiDoc = describe({
    id: 'getOpenApi',
    tag: 'health',
    auth: 'open',
    summary: 'This description (OpenAPI 3.1)',
    responses: { '200': json(OpenApiOut, 'The OpenAPI document') },
  })
  app.get('/openapi.json', openApiDoc, async (c) => {
    document ??= openApiDocument(app, deps.config).catch((e) => {
      document = undefined
      throw e
    })
    return c.json(await document)
  })

  app.route('/v1/deploys', deployRoutes(deps)) // API-token auth: before the key-checking /v1 routes
  app.route('/v1', publicRoutes(deps))
  app.route('/api', apiRoutes(deps))
  app.route('/status', statusRoutes(deps))
  app.route('/', demoRoutes(deps))
  app.all('/v1/*', () => {
    throw new ApiError(404, 'not_found', 'No such endpoint.')
  })
  app.all('/api/*', () => {
    throw new ApiError(404, 'not_found', 'No such endpoint.')
  })
  if (options.assets) app.use('*', options.assets)
  app.notFound((c) => c.json(errorBody('not_found', 'Not found.'), 404))
  return app
}

export type App = ReturnType<typeof createApp>
