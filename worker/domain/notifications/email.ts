import type { Config } from '../../config.js'
import type { EmailMessage, SendEmail } from './store.js'

/**
 * E-mail through an HTTP e-mail API with `fetch`, so the same adapter runs on Node and on Workers
 * (SMTP needs raw sockets, which Workers do not bundle). The request is Resend's JSON shape —
 * `POST {apiUrl}` with `Authorization: Bearer <key>` and `{ from, to: [..], subject, text, html,
 * headers }` — which several providers and relays accept. Any non-2xx answer throws, so the outbox
 * records the attempt and retries with backoff.
 */
export function httpEmailSender(opts: {
  apiUrl: string
  apiKey?: string
  from: string
  fetch?: typeof fetch
  timeoutMs?: number
}): SendEmail {
  const doFetch = opts.fetch ?? fetch
  return async (message: EmailMessage) => {
    const res = await doFetch(opts.apiUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
      },
      body: JSON.stringify({
        from: opts.from,
        to: [message.to],
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
      }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    })
    const detail = res.ok ? '' : (await res.text().catch(() => '')).slice(0, 200)
    if (!res.ok) throw new Error(`e-mail API answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`)
    await res.body?.cancel().catch(() => {})
  }
}

/** The configured sender, or undefined when no e-mail API is set (messages then wait in the outbox). */
export function emailSenderFromConfig(config: Pick<Config, 'email'>): SendEmail | undefined {
  return config.email ? httpEmailSender(config.email) : undefined
}
