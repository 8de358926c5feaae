// How one claimed row leaves: a signed webhook POST (through the SSRF guard) or an e-mail.
import { webhooks } from '../../db/schema/index.js'
import { eq } from 'drizzle-orm'
import type { Deps } from '../shared/index.js'
import { decryptSecret, signatureHeader } from './crypto.js'
import { headerMap, headerText } from './email-header.js'
import { checkTargetUrl, UnsafeTargetError } from './ssrf.js'
import { parseJson } from '../shared/index.js'
import { DEFAULT_TIMEOUT_MS, type DeliverOptions, type EmailMessage, type OutboxRow, type SendEmail } from './store.js'

export interface Outcome {
  ok: boolean
  statusCode: number | null
  error: string | null
  /** No point retrying (refused target, deleted webhook, 410 Gone). */
  permanent: boolean
}

class PermanentError extends Error {}

async function sendWebhook(deps: Deps, row: OutboxRow, opts: DeliverOptions): Promise<Outcome> {
  let url = row.target
  let sealed = row.secretEnc
  if (row.webhookId) {
    const hook = await deps.db.orm.select().from(webhooks).where(eq(webhooks.id, row.webhookId)).get()
    if (!hook) throw new PermanentError('webhook was deleted')
    url = hook.url
    sealed = hook.secretEnc
  }
  // The URL again at delivery (the rules may have tightened since it was stored); host names are
  // resolved and checked by the fetch itself, on the connection it makes (see DeliverOptions.fetch).
  const target = checkTargetUrl(url, deps.config)
  const body = row.payload
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Earshot-Webhooks/1',
    'x-earshot-delivery': row.id,
  }
  const event = parseJson<{ event?: unknown }>(body, {}).event
  if (typeof event === 'string') headers['x-earshot-event'] = event
  if (sealed) {
    const secret = await decryptSecret(deps.config, sealed)
    headers['x-earshot-signature'] = await signatureHeader(secret, body, Math.floor(deps.clock.now() / 1000))
  }
  const doFetch = opts.fetch ?? outboxTransport(deps).fetch ?? fetch
  // No redirects: a redirect to a private address would slip past the guard.
  const res = await doFetch(target, {
    method: 'POST',
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  })
  await res.body?.cancel().catch(() => {})
  const ok = res.status >= 200 && res.status < 300
  return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}`, permanent: res.status === 410 }
}

export async function sendOne(deps: Deps, row: OutboxRow, opts: DeliverOptions): Promise<Outcome> {
  try {
    if (row.channel === 'email') {
      if (!opts.sendEmail) throw new Error('no e-mail transport configured')
      const message = parseJson<Omit<EmailMessage, 'to'>>(row.payload, { subject: '', text: '' })
      // Headers are single lines whatever was queued (a title with CR/LF must not add headers).
      await opts.sendEmail({
        ...message,
        subject: headerText(String(message.subject ?? '')),
        headers: headerMap(message.headers),
        to: headerText(row.target),
      })
      return { ok: true, statusCode: null, error: null, permanent: false }
    }
    return await sendWebhook(deps, row, opts)
  } catch (error) {
    const permanent = error instanceof PermanentError || error instanceof UnsafeTargetError
    const message = (error as Error)?.name === 'TimeoutError' ? 'timed out' : String((error as Error)?.message ?? error)
    return { ok: false, statusCode: null, error: message.slice(0, 500), permanent }
  }
}

// ---- This entry's transports ----------------------------------------------------------------

export interface Transport {
  fetch?: typeof fetch
  sendEmail?: SendEmail
}
/**
 * How this entry's outbox is delivered and whether a prompt delivery is under way: `Deps.outbox`,
 * never module-level.
 */
export interface OutboxState {
  transport: Transport
  kick: { scheduled: boolean; runningSince: number; again: boolean }
}
export const newOutboxState = (): OutboxState => ({
  transport: {},
  kick: { scheduled: false, runningSince: 0, again: false },
})

/** Sets how this entry's outbox is delivered by `kickOutbox` and the background job (e-mail adapter, test fetch). */
export function configureOutbox(deps: Pick<Deps, 'outbox'>, transport: Transport): void {
  deps.outbox.transport = { ...deps.outbox.transport, ...transport }
}

export function outboxTransport(deps: Pick<Deps, 'outbox'>): Transport {
  return deps.outbox.transport
}

/** Whether e-mail can leave at all: without a sender, e-mails wait in the outbox (honest answers say so). */
export function canSendEmail(deps: Pick<Deps, 'outbox'>): boolean {
  return !!outboxTransport(deps).sendEmail
}
