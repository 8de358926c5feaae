import type { Hono } from 'hono'
import { describeRoute, generateSpecs, resolver } from 'hono-openapi'
import type { z } from 'zod'
import type { Config } from '../config.js'
import { ErrorBody } from './schemas.js'

// /openapi.json is generated from the routes themselves: every JSON route carries `describe({…})`
// next to its handler (operation id, tag, responses from the zod schemas its serializers are typed
// against), and `validate()` (http/validate.ts) adds the zod schema that checks the request.
// test/api/openapi.test.ts fails for a route without a description, and validates real answers.

/** Areas of the API, one tag each (in the order a reader meets them). */
export const TAGS = {
  widget: { name: 'Widget', description: 'What the widget and integrations call with a project public key (/v1).' },
  deploys: { name: 'Deploys', description: 'Deploy markers from CI, with an API token (write scope).' },
  session: { name: 'Session', description: 'Sign-in, sign-out and invitation links (no session needed).' },
  account: { name: 'Account', description: 'The signed-in person.' },
  workspaces: { name: 'Workspaces', description: 'Workspaces, members, invitations.' },
  tokens: { name: 'API tokens', description: 'API tokens of a workspace.' },
  projects: { name: 'Projects', description: 'Projects, keys and settings.' },
  clusters: { name: 'Clusters', description: 'Clustered customer reports and the actions on them.' },
  reports: { name: 'Reports', description: 'Reports: search, screenshots, reports added by support or a help desk.' },
  incidents: { name: 'Incidents', description: 'Incidents and their updates, learning from past incidents.' },
  statusAdmin: {
    name: 'Status page admin',
    description: 'Components, maintenance, subscribers, status tokens and the status site’s domain.',
  },
  webhooks: { name: 'Webhooks', description: 'Outgoing webhooks and their deliveries.' },
  privacy: { name: 'Privacy', description: 'Erasure and abuse screening.' },
  outbox: { name: 'Outbox', description: 'What Earshot sent or will send (e-mail, webhooks).' },
  status: {
    name: 'Status page API',
    description:
      'Atlassian Statuspage’s public API (v2) for one status site, at /status/{slug}/api/v2/… and at the ' +
      'root of the site’s own host (<slug>.<STATUS_DOMAIN>, a verified custom domain).',
  },
  health: { name: 'Health', description: 'Liveness and database reachability.' },
} as const
export type Tag = keyof typeof TAGS

/**
 * Who may call. `session` routes take the dashboard's session cookie or an API token: reading
 * (GET) needs the token's `read` scope, anything else `write` — the scope is filled in from the
 * method when the document is built, as `requireSession` (routes/api/context.ts) decides it.
 */
export type Auth = 'open' | 'session' | 'person' | 'publicKey' | 'writeToken' | 'statusToken'

const securitySchemes = {
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'earshot_session',
    description: 'The dashboard’s session (POST /api/session). Writes must be JSON and same-origin.',
  },
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'est_…',
    description:
      'A workspace API token (`Authorization: Bearer est_…`), made under Settings → API tokens. Scopes: ' +
      '`read` (every GET under /api), `write` (everything else, and POST /v1/deploys).',
  },
  publicKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Earshot-Key',
    description: 'The project’s public key (it is public: it ships in the widget).',
  },
  publicKeyQuery: {
    type: 'apiKey',
    in: 'query',
    name: 'key',
    description: 'The project’s public key as `?key=`, for clients that cannot set headers.',
  },
  // (GET /v1/incidents takes the same token as its X-Earshot-Status-Token parameter, next to the project key.)
  statusToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'A status-page token (Status page admin → status tokens): private incidents are included.',
  },
} as const

const SECURITY: Record<Exclude<Auth, 'session'>, Record<string, string[]>[]> = {
  open: [],
  person: [{ sessionCookie: [] }],
  publicKey: [{ publicKey: [] }, { publicKeyQuery: [] }],
  writeToken: [{ apiToken: ['write'] }],
  // Without a token the public view is answered; with one, the private incidents too.
  statusToken: [{}, { statusToken: [] }],
}

/** A JSON answer described by a zod schema (the one the serializer is typed against). */
export const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: resolver(schema) } },
})
/** The one error shape; `codes` are the stable codes this answer can carry. */
export const error = (description: string) => json(ErrorBody, description)
export const noContent = (description = 'Done; no body.') => ({ description })
export const notModified = { description: 'Not modified since the ETag sent in If-None-Match (no body).' }

type Responses = Record<string, { description: string; content?: Record<string, unknown> }>
export interface RouteDoc {
  /** Unique across the API, camelCase: what generated clients call the method. */
  id: string
  tag: Tag
  summary: string
  description?: string
  auth: Auth
  responses: Responses
  requestBody?: { required?: boolean; description?: string; content: Record<string, { schema: unknown }> }
  parameters?: {
    name: string
    in: 'query' | 'header' | 'path'
    required?: boolean
    description?: string
    schema: unknown
  }[]
}

/** Middleware that describes the route it sits on (it does nothing at run time). */
export function describe(doc: RouteDoc) {
  const { id, tag, auth, ...rest } = doc
  const security = auth === 'session' ? undefined : SECURITY[auth]
  const common: Responses = {}
  if (auth === 'session' || auth === 'person')
    common['401'] = error('not_signed_in (no session), invalid_token (unknown or revoked API token)')
  if (auth === 'session')
    common['403'] = error('forbidden (role too low), insufficient_scope (read-only token), cross_origin')
  if (auth === 'person') common['403'] = error('forbidden: API tokens cannot do this; sign in as a person')
  if (auth === 'session' || auth === 'person')
    common['404'] = error(
      'not_found: no such resource in the caller’s workspaces (never told apart from one that does not exist)',
    )
  if (auth === 'publicKey') {
    common['401'] = error('missing_key, invalid_key')
    common['403'] = error('origin_not_allowed')
  }
  if (auth === 'writeToken') {
    common['401'] = error('missing_token, invalid_token')
    common['403'] = error('insufficient_scope: the token needs the write scope')
  }
  common['429'] = error('rate_limited (Retry-After)')
  common['503'] = error('database_unavailable (Retry-After)')
  return describeRoute({
    ...rest,
    operationId: id,
    tags: [TAGS[tag].name],
    ...(security ? { security } : {}),
    responses: { ...common, ...rest.responses },
  } as Parameters<typeof describeRoute>[0])
}

/** The OpenAPI 3.1 document of every JSON route of `app`. */
export async function openApiDocument(app: Hono<any, any, any>, config: Pick<Config, 'publicUrl'>) {
  const doc = (await generateSpecs(app, {
    excludeStaticFile: false,
    // Our own 400 is the one error shape (http/validate.ts), not hono-openapi's default.
    defaultValidationErrorResponse: {
      description: 'invalid_body / invalid_query: the first bad field and why',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    },
    documentation: {
      info: {
        title: 'Earshot API',
        version: '1',
        description:
          'Every JSON route of Earshot: the widget API (/v1), the dashboard API (/api), the ' +
          'Statuspage-compatible status JSON and /health. Errors are always `{ "error": { "code", ' +
          '"message" } }` with a stable snake_case code; times are ISO 8601.',
      },
      // Where this deployment answers: PUBLIC_URL, never the Host of the request.
      servers: config.publicUrl ? [{ url: config.publicUrl }] : [],
      tags: Object.values(TAGS).map((t) => ({ ...t })),
      components: { securitySchemes: securitySchemes as never },
    },
  })) as Record<string, any>
  const errorRef = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  })
  for (const item of Object.values(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(item)) {
      const reads = method === 'get' || method === 'head'
      // Dashboard routes: the session cookie, or an API token whose scope the method decides.
      if (op.security === undefined) op.security = [{ sessionCookie: [] }, { apiToken: [reads ? 'read' : 'write'] }]
      // What the app-wide middleware answers (app.ts): body limits and types for anything that
      // takes a body, and the one 500 for a fault of ours.
      if (!reads) {
        op.responses['400'] ??= errorRef('invalid_json, invalid_body')
        op.responses['413'] ??= errorRef('body_too_large')
        op.responses['415'] ??= errorRef('unsupported_media_type: send JSON')
      }
      op.responses['500'] ??= errorRef('internal_error')
    }
  }
  return doc
}

export type OpenApiDocument = Awaited<ReturnType<typeof openApiDocument>>
