import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { resolver } from 'hono-openapi'
import { limitBody } from '../http/body-limit.js'
import { ApiError } from '../http/errors.js'
import { describe, error, json, noContent, notModified } from '../http/openapi.js'
import {
  AffectedInput,
  IncidentList,
  NoticeList,
  NoticeSeenInput,
  NoticesQuery,
  type Out,
  ReportAccepted,
  ReportInput,
} from '../http/schemas.js'
import { parseWith, readJsonBody } from '../http/validate.js'
import type { Deps } from '../domain/shared/index.js'
import { getIncident, listActiveIncidents, type IncidentWithLatest } from '../domain/incidents/index.js'
import { iso } from '../domain/shared/index.js'
import { isOriginAllowed, projectByKey, type Project } from '../domain/projects/index.js'
import { publicIdempotencyKey } from '../domain/reports/index.js'
import { submitReport } from '../domain/reports/index.js'
import { submitReportWithAttachment } from '../domain/reports/index.js'
import { readReportRequest, REPORT_BODY_LIMIT } from './report-body.js'
import { surgeClientKey } from '../domain/surge/index.js'
import { screenReport } from '../domain/reports/index.js'
import { routeFromUrl, normalizeRoute } from '../domain/reports/index.js'
import { listUnseenNotices, markNoticeSeen, WIDGET_PLACEHOLDER_TITLE } from '../domain/incidents/index.js'
import { fromAcceptLanguage } from '../domain/incidents/index.js'
import { isValidStatusToken } from '../domain/incidents/index.js'
import { conditional } from '../http/etag.js'
import { reporterStates } from '../domain/reports/index.js'
import { sha256Hex } from '../domain/shared/index.js'

type PublicEnv = { Variables: { project: Project } }

function requireProject(deps: Deps): MiddlewareHandler<PublicEnv> {
  return async (c, next) => {
    const key = c.req.header('x-earshot-key') ?? c.req.query('key')
    if (!key) throw new ApiError(401, 'missing_key', 'Send the project key in the X-Earshot-Key header or ?key=.')
    if (key.length > 128) throw new ApiError(401, 'invalid_key', 'Unknown project key.')
    // A report re-checks the key in its own write (domain/reports/submit.ts), so it may use an expired copy.
    const project = await projectByKey(deps, key, {
      revalidatedByWrite: c.req.method === 'POST' && c.req.path === '/v1/reports',
    })
    if (!project) throw new ApiError(401, 'invalid_key', 'Unknown project key.')
    const origin = c.req.header('origin')
    if (origin && !isOriginAllowed(project, origin)) {
      throw new ApiError(
        403,
        'origin_not_allowed',
        `Reports from ${origin} are not allowed for this project. Add the origin in the project settings.`,
      )
    }
    c.set('project', project)
    await next()
  }
}

/** The client's key (header first, else the body's), kept out of the prefixes reserved for help desks and support. */
function idempotencyKeyOf(c: Context, bodyKey?: string): string | undefined {
  return publicIdempotencyKey(c.req.header('idempotency-key') ?? bodyKey)
}

export function toPublicIncident(incident: IncidentWithLatest): Out<typeof IncidentList>['incidents'][number] {
  return {
    id: incident.id,
    title: incident.title,
    impact: incident.impact,
    status: incident.status,
    started_at: iso(incident.createdAt)!,
    updated_at: iso(incident.updatedAt)!,
    latest_update: {
      id: incident.latest.id,
      status: incident.latest.status,
      message: incident.latest.message,
      created_at: iso(incident.latest.createdAt)!,
    },
  }
}

export function publicRoutes(deps: Deps) {
  const app = new Hono<PublicEnv>()
  // CORS: http/public-cors.ts, mounted by app.ts before the body and abuse limits.
  app.use('*', requireProject(deps))

  // JSON, or multipart with the same JSON as `report` plus one `screenshot` (routes/report-body.ts).
  const idempotencyHeader = {
    name: 'Idempotency-Key',
    in: 'header' as const,
    required: false,
    description:
      'One key per report (8–128 characters); retries repeat the same body. Keys starting with ext: or ' +
      'support: are reserved.',
    schema: { type: 'string', minLength: 8, maxLength: 128 },
  }
  const reportDoc = describe({
    id: 'submitReport',
    tag: 'widget',
    auth: 'publicKey',
    summary: 'Submit a customer report',
    description:
      'JSON (also sent as text/plain, which needs no CORS preflight), or multipart/form-data with the same ' +
      'JSON as `report` and at most one `screenshot`.',
    parameters: [idempotencyHeader],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: resolver(ReportInput) },
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['report'],
            properties: {
              report: { type: 'string', description: 'The report as JSON (ReportInput)' },
              screenshot: { type: 'string', format: 'binary', description: 'PNG, JPEG or WebP, at most 2 MB' },
            },
          },
        },
      },
    },
    responses: {
      '202': json(
        ReportAccepted,
        'Stored durably (or already stored under this idempotency key with the same body). Clustering ' +
          'follows in the report pipeline, so the answer names no cluster.',
      ),
      '400': error('invalid_json, invalid_body, invalid_idempotency_key'),
      '409': error('idempotency_key_reused: the key was used with a different body'),
      '413': error('body_too_large'),
      '415': error('unsupported_media_type'),
    },
  })
  app.post('/reports', reportDoc, REPORT_BODY_LIMIT, async (c) => {
    const { body, image } = await readReportRequest(c.req.raw)
    const input = parseWith(ReportInput, body)
    const route = input.route ? normalizeRoute(input.route) : routeFromUrl(input.page_url)
    const idempotencyKey = idempotencyKeyOf(c, input.idempotency_key)
    // Honeypot → a success that stores nothing; spam → an explicit 4xx (worker/domain/reports/spam.ts).
    const address = deps.guard?.clientAddress(c) ?? 'unknown'
    const screening = await screenReport(deps, c.get('project'), input, { address, idempotencyKey })
    if (screening.verdict === 'honeypot')
      return c.json({ id: screening.fakeId } satisfies Out<typeof ReportAccepted>, 202)
    const accepted = await submitReportWithAttachment(
      deps,
      c.get('project'),
      { ...input, route },
      {
        idempotencyKey,
        request: input, // a retry repeats this body; 409 idempotency_key_reused for another one
        userAgent: c.req.header('user-agent')?.slice(0, 512),
        // Surges count distinct clients by address, never by the ids a client makes up (surge/client-key.ts).
        clientKey: await surgeClientKey(deps.config, c.get('project').id, address),
      },
      image,
    )
    // Stored durably (with its screenshot); clustering follows in the pipeline, so the answer promises no cluster.
    return c.json({ id: accepted.id } satisfies Out<typeof ReportAccepted>, 202)
  })

  const incidentsDoc = describe({
    id: 'listActiveIncidents',
    tag: 'widget',
    auth: 'publicKey',
    summary: "The project's active public incidents with their latest update",
    description:
      'With a status-page token (X-Earshot-Status-Token or ?status_token=) private incidents are listed ' +
      'too. ETag: If-None-Match gives 304.',
    parameters: [
      {
        name: 'reporter_id',
        in: 'query',
        description: 'The widget’s anonymous reporter id: adds `reporter_state` to each incident.',
        schema: { type: 'string', maxLength: 128 },
      },
      {
        name: 'status_token',
        in: 'query',
        description: 'A status-page token (or the X-Earshot-Status-Token header).',
        schema: { type: 'string' },
      },
      {
        name: 'X-Earshot-Status-Token',
        in: 'header',
        description: 'A status-page token: private incidents are listed too.',
        schema: { type: 'string' },
      },
    ],
    responses: { '200': json(IncidentList, 'Active incidents'), '304': notModified },
  })
  app.get('/incidents', incidentsDoc, conditional(), async (c) => {
    // Private incidents only for customers the product vouches for with a status-page token.
    const project = c.get('project')
    const statusToken = c.req.header('x-earshot-status-token') ?? c.req.query('status_token')
    // With the widget's anonymous reporter id: which incidents already have this browser's report
    // or "notify me" (`reporter_state`), so the widget shows that instead of asking again.
    const reporterId = c.req.query('reporter_id')?.slice(0, 128)
    const compute = async () => {
      const includePrivate = await isValidStatusToken(deps.db.orm, project.id, statusToken)
      const list = await listActiveIncidents(deps.db.orm, project.id, { includePrivate })
      const states = reporterId
        ? await reporterStates(
            deps.db.orm,
            project.id,
            reporterId,
            list.map((i) => i.id),
          )
        : undefined
      return JSON.stringify({
        incidents: list.map((i) =>
          states ? { ...toPublicIncident(i), reporter_state: states.get(i.id) ?? null } : toPublicIncident(i),
        ),
      } satisfies Out<typeof IncidentList>)
    }
    // Workers: the same answer for a few seconds from the Cache API, per project, status token
    // (hashed; a revoked one answers at most that long) and reporter id — everything it depends on.
    const text = deps.responseCache
      ? await deps.responseCache.text(
          `v1/incidents/${project.id}?t=${statusToken ? sha256Hex(statusToken).slice(0, 32) : ''}` +
            `&r=${encodeURIComponent(reporterId ?? '')}`,
          compute,
        )
      : await compute()
    c.header('Cache-Control', 'no-cache')
    return c.body(text, 200, { 'Content-Type': 'application/json' })
  })

  // "This is my problem too": records the customer as affected without making them type.
  const affectedDoc = describe({
    id: 'reportAffected',
    tag: 'widget',
    auth: 'publicKey',
    summary: 'Record the customer as affected by a known incident ("notify me when it is fixed")',
    parameters: [idempotencyHeader],
    requestBody: { required: true, content: { 'application/json': { schema: resolver(AffectedInput) } } },
    responses: {
      '202': json(ReportAccepted, 'Recorded (stored as a report linked to the incident)'),
      '400': error('invalid_json, invalid_body, invalid_idempotency_key'),
      '404': error('incident_not_found: no such public incident'),
      '409': error('idempotency_key_reused'),
      '415': error('unsupported_media_type'),
    },
  })
  app.post('/incidents/:id/affected', affectedDoc, limitBody(16 * 1024), async (c) => {
    const input = parseWith(AffectedInput, await readJsonBody(c.req.raw))
    const idempotencyKey = idempotencyKeyOf(c, input.idempotency_key)
    const project = c.get('project')
    const incident = await getIncident(deps.db.orm, c.req.param('id'))
    if (!incident || incident.projectId !== project.id || incident.visibility !== 'public') {
      throw new ApiError(404, 'incident_not_found', 'No such incident.')
    }
    const accepted = await submitReport(
      deps,
      project,
      {
        message: input.message || `Affected by: ${incident.title}`,
        email: input.email,
        reporter_id: input.reporter_id,
        // The language the "fixed" e-mail is written in: the body's, else the browser's first choice.
        locale: input.locale ?? firstLanguage(c.req.header('accept-language')),
      },
      {
        idempotencyKey,
        // The message defaults to the incident's title, which may change between retries: the body identifies one.
        request: input,
        userAgent: c.req.header('user-agent')?.slice(0, 512),
        source: 'affected',
        incidentId: incident.id,
        skipClustering: true,
      },
    )
    return c.json({ id: accepted.id } satisfies Out<typeof ReportAccepted>, 202)
  })

  // "The problem you reported on <date> has been fixed": notices for one anonymous reporter's browser.
  const noticesDoc = describe({
    id: 'listNotices',
    tag: 'widget',
    auth: 'publicKey',
    summary: 'Unseen "the problem you reported has been fixed" notices for one anonymous reporter, newest first',
    parameters: [
      { name: 'reporter_id', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 128 } },
    ],
    responses: { '200': json(NoticeList, 'Notices, newest first'), '400': error('invalid_query: reporter_id missing') },
  })
  app.get('/notices', noticesDoc, async (c) => {
    const reporterId = parseWith(
      NoticesQuery,
      { reporter_id: c.req.query('reporter_id') ?? '' },
      'invalid_query',
    ).reporter_id
    // A private incident's placeholder title in the browser's language (the widget sends no locale).
    const lang = fromAcceptLanguage(c.req.header('accept-language')) ?? 'en'
    const list = await listUnseenNotices(deps.db.orm, c.get('project').id, reporterId, WIDGET_PLACEHOLDER_TITLE[lang])
    c.header('Cache-Control', 'no-store')
    return c.json({
      notices: list.map((n) => ({
        id: n.id,
        incident_id: n.incidentId,
        title: n.title,
        reported_at: iso(n.reportedAt)!,
        resolved_at: iso(n.resolvedAt),
        message: n.message,
      })),
    } satisfies Out<typeof NoticeList>)
  })

  const seenDoc = describe({
    id: 'markNoticeSeen',
    tag: 'widget',
    auth: 'publicKey',
    summary: 'Mark a notice as shown, so it is not listed again',
    description: '`reporter_id` in the JSON body or the query is required: the notice must belong to it.',
    parameters: [{ name: 'reporter_id', in: 'query', schema: { type: 'string', maxLength: 128 } }],
    requestBody: { required: false, content: { 'application/json': { schema: resolver(NoticeSeenInput) } } },
    responses: {
      '204': noContent('Marked seen'),
      '400': error('invalid_query: reporter_id missing'),
      '404': error('notice_not_found'),
    },
  })
  app.post('/notices/:id/seen', seenDoc, limitBody(4 * 1024), async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim()
    const body =
      type && c.req.header('content-length') !== '0' ? parseWith(NoticeSeenInput, await readJsonBody(c.req.raw)) : {}
    // The reporter id is required: a notice id alone must not let anyone mark someone else's notice seen.
    const reporterId = parseWith(
      NoticesQuery,
      { reporter_id: body.reporter_id ?? c.req.query('reporter_id') ?? '' },
      'invalid_query',
    ).reporter_id
    const ok = await markNoticeSeen(deps, c.get('project').id, c.req.param('id'), reporterId)
    if (!ok) throw new ApiError(404, 'notice_not_found', 'No such notice.')
    return c.body(null, 204)
  })

  return app
}

/** The first tag of an Accept-Language header ("zh-CN,zh;q=0.9" → "zh-CN"), if it looks like one. */
function firstLanguage(header: string | undefined): string | undefined {
  const tag = header?.split(',')[0]?.split(';')[0]?.trim()
  return tag && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) && tag.length <= 35 ? tag : undefined
}
