/**
 * The Workers entry's wiring: one database client (Turso over HTTP, through the web client —
 * workerd has no native libSQL), one set of deps and one app per isolate, and the static assets.
 */
import { createClient } from '@libsql/client/web'
import type { MiddlewareHandler } from 'hono'
import { createApp, createDeps, type App } from '../app.js'
import { systemClock } from '../clock.js'
import { assertRunnableConfig, databaseFromEnv, loadConfig } from '../config.js'
import { createDatabase } from '../db/client.js'
import type { Deps } from '../domain/shared/index.js'
import { dohTxtLookup } from '../domain/incidents/index.js'
import {
  BINDING_RULES,
  cloudflareClientAddress,
  cloudflareRateLimiter,
  databaseRateLimiter,
} from '../http/rate-limit.js'
import { edgeResponseCache } from '../http/response-cache.js'
import { r2AttachmentStore } from '../domain/reports/index.js'
import type { WorkersEnv } from './workers-env.js'

export interface Instance {
  key: string
  app: App
  deps: Deps
}

/** With a queue, the cron processes only reports that waited longer than this (lost messages, a failed consumer). */
const STRAGGLER_MS = 60_000
/**
 * How long an isolate keeps a public key's project (0 database requests for it per report). A
 * rotated key is refused by the intake's INSERT at once and answers reads for at most this long.
 */
const PROJECT_KEY_TTL_MS = 15_000
/** How long a widget incident poll's answer is reused (Cache API): a new incident shows within this. */
const INCIDENTS_CACHE_SECONDS = 5
export const log = (message: string) => console.error(`earshot: ${message}`)

// One database client and one app per isolate, reused by every request the isolate serves.
let instance: Instance | undefined

export function getInstance(env: WorkersEnv): Instance {
  const vars = stringVars(env)
  const { url, authToken } = databaseFromEnv(vars)
  if (!url)
    throw new Error(
      'LIBSQL_URL is not set; add it with `npx wrangler secret put LIBSQL_URL` (TURSO_DATABASE_URL works too).',
    )
  const key = `${url}\n${authToken ?? ''}`
  if (instance?.key === key) return instance

  const config = loadConfig(vars)
  // Production without PUBLIC_URL (and other unsafe settings) answers every request with
  // server_misconfigured and logs why, instead of building links from request headers.
  assertRunnableConfig(config)
  instance?.deps.db.close()
  // No in-process group commit here: see DatabaseOptions.groupCommit.
  // `concurrency`: the client queues requests beyond 20 in flight behind each other's, and workerd
  // cancels a request that waits on another request's I/O ("code had hung"): a burst of over 20
  // concurrent reports in one isolate failed with 500s. Each request's own calls go out directly.
  const db = createDatabase(createClient({ url, authToken, concurrency: Number.MAX_SAFE_INTEGER }), {
    groupCommit: false,
  })
  const attachments = env.ATTACHMENTS ? r2AttachmentStore(env.ATTACHMENTS) : undefined
  // Abuse limits must hold across isolates: the per-minute /v1 limits in Cloudflare's rate-limiting
  // bindings, the long-window ones (sign-in, subscriptions, repeats) in the database; callers by CF-Connecting-IP.
  const perMinute = {
    [BINDING_RULES.reports]: env.RATE_LIMIT_REPORTS,
    [BINDING_RULES.reads]: env.RATE_LIMIT_READS,
    [BINDING_RULES.perAddress]: env.RATE_LIMIT_ADDRESS,
  }
  const limits = {
    rateLimiter: cloudflareRateLimiter(perMinute, databaseRateLimiter(db, systemClock), systemClock),
    clientAddress: cloudflareClientAddress,
  }
  // After the intake's commit, the report's id goes to the queue (awaited inside the request, so the
  // send belongs to it; a failed send is logged and the 202 stands — the cron's safety net takes
  // reports that waited over a minute). Without a queue binding, the cron alone runs the pipeline.
  const queue = env.REPORTS_QUEUE
  const pipeline = {
    onStored: queue ? (id: string) => queue.send({ id }).then(() => {}) : undefined,
    stragglerMs: queue ? STRAGGLER_MS : 0,
  }
  // Widget incident polls: the same answer for a few seconds per Cloudflare location.
  const edgeCache = (globalThis as { caches?: { default?: Parameters<typeof edgeResponseCache>[0] } }).caches?.default
  const responseCache = edgeCache ? edgeResponseCache(edgeCache, INCIDENTS_CACHE_SECONDS) : undefined
  // One set of deps (one clustering engine, one pipeline) for requests and background jobs alike.
  const deps = createDeps({
    db,
    clock: systemClock,
    config,
    lookupTxt: dohTxtLookup(config.dohUrl),
    attachments,
    pipeline,
    projectKeyTtlMs: PROJECT_KEY_TTL_MS,
    responseCache,
    ...limits,
  })
  instance = { key, app: createApp(deps, { assets: serveAssets }), deps }
  return instance
}

/**
 * Whatever no route answered goes to the assets (GET/HEAD only). A dashboard deep link such as
 * /dashboard/clusters/abc is the dashboard's own client-side route: answer with its index.html.
 */
const serveAssets: MiddlewareHandler<{ Bindings: WorkersEnv }> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
  const assets = c.env.ASSETS
  const found = await assets.fetch(c.req.raw)
  if (found.status !== 404) return found
  const url = new URL(c.req.url)
  if (url.pathname.startsWith('/dashboard/') && !/\.[a-z0-9]+$/i.test(url.pathname)) {
    const index = await assets.fetch(new Request(new URL('/dashboard/', url), c.req.raw))
    if (index.ok) return index
  }
  return next()
}

/** Workers vars and secrets that are strings; bindings such as ASSETS are left out. */
function stringVars(env: WorkersEnv): Record<string, string | undefined> {
  const vars: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') vars[name] = value
  return vars
}
