import { Hono, type Context } from 'hono'
import type { Deps } from '../../domain/shared/index.js'
import { canSendEmail } from '../../domain/notifications/index.js'
import { assertComponentsOf } from '../../domain/incidents/index.js'
import {
  confirmSubscription,
  findByUnsubscribeToken,
  subscribeEmail,
  unsubscribe,
} from '../../domain/incidents/index.js'
import { limitBody } from '../../http/body-limit.js'
import { ApiError } from '../../http/errors.js'
import { describe, error as apiError, json } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'
import { OkOut, SubscribeOut, SubscriberEmail } from '../../http/schemas/status-site.js'
import type { SiteEnv } from './site.js'
import { messagePage } from './views.js'

/** The fields of a subscription form, sent as a plain HTML form (no JavaScript) or as JSON. */
async function formOrJson(c: Context): Promise<{ fields: Record<string, string | string[]>; json: boolean }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/json') {
    const body = (await c.req.json().catch(() => {
      throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.')
    })) as Record<string, unknown>
    const components = Array.isArray(body?.components) ? body.components.map(String) : []
    return { fields: { email: String(body?.email ?? ''), component: components }, json: true }
  }
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    // A malformed form body is the sender's mistake: 400, not a 500 (found by test/trust/fuzz.test.ts).
    const body = await c.req.parseBody({ all: true }).catch(() => {
      throw new ApiError(400, 'invalid_body', 'The form body could not be read.')
    })
    const fields: Record<string, string | string[]> = {}
    for (const [k, v] of Object.entries(body)) fields[k] = Array.isArray(v) ? v.map(String) : String(v)
    return { fields, json: false }
  }
  if (c.req.header('content-length') === '0' || !type) return { fields: {}, json: false }
  throw new ApiError(415, 'unsupported_media_type', 'Send a form or JSON.')
}

/** E-mail subscriptions of a status site: subscribe (double opt-in), confirm, unsubscribe. */
export function subscriptionRoutes(deps: Deps) {
  const app = new Hono<SiteEnv>()

  // Subscribing works from a plain HTML form (no JavaScript) and from JSON clients.
  const formBody = (fields: Record<string, unknown>, required: string[]) => ({
    required: true,
    content: {
      'application/x-www-form-urlencoded': { schema: { type: 'object', required, properties: fields } },
      'application/json': { schema: { type: 'object', required, properties: fields } },
    },
  })
  const formDoc = (
    id: string,
    summary: string,
    ok: ReturnType<typeof json>,
    body: ReturnType<typeof formBody>,
    fail: Record<string, ReturnType<typeof apiError>>,
  ) =>
    describe({
      id,
      tag: 'status',
      auth: 'open',
      summary,
      description: 'A plain HTML form gets an HTML page back; a JSON body gets JSON.',
      requestBody: body,
      responses: { '200': ok, '202': ok, '404': apiError('not_found: no such status page'), ...fail },
    })
  const subscribeDoc = formDoc(
    'subscribeToStatus',
    'Subscribe an e-mail address to the status page (double opt-in: a confirmation link is sent)',
    json(SubscribeOut, 'Accepted; the confirmation link is sent, or queued when e-mail is not configured'),
    formBody(
      {
        email: { type: 'string', format: 'email' },
        component: {
          description: 'Component ids (repeat the field); none = all',
          oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
        },
        components: { type: 'array', items: { type: 'string' } },
      },
      ['email'],
    ),
    { '400': apiError('invalid_body, invalid_json') },
  )
  app.post('/subscribe', subscribeDoc, limitBody(16 * 1024), async (c) => {
    const { fields, json } = await formOrJson(c)
    const project = c.get('project')
    const t = c.get('t')
    const email = SubscriberEmail.safeParse(String(fields.email ?? '').trim())
    const componentIds = ([] as string[])
      .concat(fields.component ?? [])
      .filter(Boolean)
      .slice(0, 100)
    const fail = (message: string) => {
      if (json) throw new ApiError(400, 'invalid_body', message)
      return c.html(messagePage(project, c.get('site'), t.failed, message), 400)
    }
    if (!email.success) return fail(json ? 'Please enter a valid e-mail address.' : t.invalidEmail)
    if (!(await assertComponentsOf(deps.db.orm, project.id, componentIds)))
      return fail(json ? 'One of the chosen components does not exist.' : t.unknownComponent)
    // The subscriber's e-mails go in the language the page was read in.
    await subscribeEmail(deps, project, { email: email.data, componentIds, locale: c.get('lang') })
    // Honest: without an e-mail provider nothing leaves yet, so never say "we sent" (the link waits in the outbox).
    if (!canSendEmail(deps)) {
      const queued =
        `Your confirmation link for ${email.data} is queued: this status page cannot send e-mail yet ` +
        '(e-mail is not configured). It will be sent once it is.'
      if (json)
        return c.json(
          { ok: true, queued: true, email_configured: false, message: queued } satisfies Out<typeof SubscribeOut>,
          202,
        )
      return c.html(messagePage(project, c.get('site'), t.queuedTitle, t.queuedText(email.data)), 202)
    }
    if (json)
      return c.json(
        {
          ok: true,
          queued: false,
          email_configured: true,
          message: 'Check your inbox to confirm the subscription.',
        } satisfies Out<typeof SubscribeOut>,
        202,
      )
    return c.html(messagePage(project, c.get('site'), t.checkInbox, t.checkInboxText(email.data)), 202)
  })

  // Links in e-mails open a page with a button; the POST does the change, so mail scanners that
  // prefetch links neither confirm nor unsubscribe anyone.
  app.get('/subscribe/confirm', (c) => {
    const token = c.req.query('token') ?? ''
    const t = c.get('t')
    return c.html(
      messagePage(c.get('project'), c.get('site'), t.confirmTitle, t.confirmText(c.get('project').name), {
        label: t.confirmButton,
        url: `${c.get('site').base}/subscribe/confirm`,
        fields: { token },
      }),
    )
  })
  const tokenBody = formBody({ token: { type: 'string' } }, ['token'])
  const confirmDoc = formDoc(
    'confirmStatusSubscription',
    'Confirm a subscription (the link’s token; also ?token=)',
    json(OkOut, 'Confirmed'),
    tokenBody,
    { '404': apiError('invalid_token') },
  )
  app.post('/subscribe/confirm', confirmDoc, limitBody(8 * 1024), async (c) => {
    const { fields, json } = await formOrJson(c)
    const token = String(fields.token ?? c.req.query('token') ?? '')
    const row = await confirmSubscription(deps, c.get('project').id, token)
    if (!row) {
      if (json) throw new ApiError(404, 'invalid_token', 'This confirmation link is not valid (any more).')
      return c.html(
        messagePage(c.get('project'), c.get('site'), c.get('t').linkInvalid, c.get('t').confirmInvalid),
        404,
      )
    }
    if (json) return c.json({ ok: true } satisfies Out<typeof OkOut>)
    return c.html(
      messagePage(
        c.get('project'),
        c.get('site'),
        c.get('t').subscribedTitle,
        c.get('t').subscribedText(row.target, c.get('project').name),
      ),
    )
  })

  app.get('/unsubscribe', async (c) => {
    const token = c.req.query('token') ?? ''
    const row = await findByUnsubscribeToken(deps.db.orm, c.get('project').id, token)
    const t = c.get('t')
    if (!row) return c.html(messagePage(c.get('project'), c.get('site'), t.linkInvalid, t.unsubscribeInvalid), 404)
    return c.html(
      messagePage(
        c.get('project'),
        c.get('site'),
        t.unsubscribeTitle,
        t.unsubscribeText(c.get('project').name, row.target),
        { label: t.unsubscribeButton, url: `${c.get('site').base}/unsubscribe`, fields: { token } },
      ),
    )
  })
  // Also the RFC 8058 one-click target: mail clients POST `List-Unsubscribe=One-Click` to the link.
  const unsubscribeDoc = formDoc(
    'unsubscribeFromStatus',
    'Unsubscribe (the link’s token; also ?token=, and RFC 8058 one-click)',
    json(OkOut, 'Unsubscribed'),
    tokenBody,
    { '404': apiError('invalid_token') },
  )
  app.post('/unsubscribe', unsubscribeDoc, limitBody(8 * 1024), async (c) => {
    const { fields, json } = await formOrJson(c)
    const token = String(fields.token ?? '') || c.req.query('token') || ''
    const ok = await unsubscribe(deps, c.get('project').id, token)
    if (!ok) {
      if (json) throw new ApiError(404, 'invalid_token', 'This unsubscribe link is not valid.')
      return c.html(
        messagePage(c.get('project'), c.get('site'), c.get('t').linkInvalid, c.get('t').unsubscribeInvalid),
        404,
      )
    }
    if (json) return c.json({ ok: true } satisfies Out<typeof OkOut>)
    return c.html(
      messagePage(c.get('project'), c.get('site'), c.get('t').unsubscribedTitle, c.get('t').unsubscribedText),
    )
  })

  return app
}
