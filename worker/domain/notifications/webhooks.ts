/**
 * Project alert webhooks: Slack-compatible (`text` + `blocks`, works with Slack incoming webhooks
 * and the many tools that accept the same shape) or generic JSON. Every request carries
 * `X-Earshot-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` keyed with the
 * webhook's secret, shown once when the webhook is created.
 */
import { and, desc, eq } from 'drizzle-orm'
import type { Reader, Tx } from '../../db/client.js'
import { deliveries, outbox, webhooks, WEBHOOK_KINDS, type WebhookKind } from '../../db/schema/index.js'
import { DomainError } from '../shared/index.js'
import type { Deps } from '../shared/index.js'
import { newId, newSecret } from '../shared/index.js'
import { parseJson } from '../shared/index.js'
import { encryptSecret } from './crypto.js'
import { enqueue } from './store.js'
import { kickOutbox } from './scheduling.js'
import { checkTargetUrl, UnsafeTargetError } from './ssrf.js'

export { WEBHOOK_KINDS }
/** Events a webhook can subscribe to. `test` is always delivered when asked for. */
export const WEBHOOK_EVENTS = [
  'surge',
  'incident.created',
  'incident.updated',
  'incident.resolved',
  'maintenance.scheduled',
  'deploy',
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | 'test'

export type Webhook = typeof webhooks.$inferSelect

/** What an event says, rendered per webhook kind. */
export interface WebhookMessage {
  event: WebhookEvent
  /** One line: "Surge: 14 reports about “Checkout fails” in 5 min". */
  title: string
  /** A few lines of plain text (Slack gets it escaped: no markup or links in it; links go in `url`). */
  text: string
  /** Link to the dashboard or status page. */
  url?: string
  fields?: { label: string; value: string }[]
  /** Machine-readable event data for generic receivers. */
  data: Record<string, unknown>
  /** Components the event is about (webhooks with a component filter only get matching events). */
  componentIds?: string[]
  at: number
}

/** Lone surrogates (from text cut in the middle of a pair elsewhere) become U+FFFD: receivers reject or mangle them. */
const wellFormed = (text: string) =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')

const SLACK_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/**
 * Text for any Slack text field (mrkdwn or plain_text, and the top-level `text`). Slack reads `&`,
 * `<` and `>` as markup (`<!channel>` pings everyone, `<https://evil|Sign in again>` is a
 * disguised link) and wants exactly these three HTML-escaped, so customer text, releases and
 * titles are escaped here, all of them. Cut to `limit` UTF-16 units (Slack's field limits) by
 * whole code points and never inside an entity, with an ellipsis when anything was cut.
 */
export function slackText(text: string, limit: number): string {
  const escaped = wellFormed(text).replace(/[&<>]/g, (ch) => SLACK_ENTITIES[ch]!)
  if (escaped.length <= limit) return escaped
  let out = ''
  for (const ch of wellFormed(text)) {
    const piece = SLACK_ENTITIES[ch] ?? ch
    if (out.length + piece.length > limit - 1) break
    out += piece
  }
  return out + '…'
}

/** Links in a Slack message are only the ones we build (dashboard, status page), and only http(s). */
function ownLink(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined
  } catch {
    return undefined
  }
}

export function slackPayload(m: WebhookMessage) {
  // `verbatim`: Slack does not turn URLs or channel names in customer text into links or mentions.
  const mrkdwn = (text: string, limit: number) => ({ type: 'mrkdwn', text: slackText(text, limit), verbatim: true })
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: slackText(m.title, 150), emoji: true } },
    { type: 'section', text: mrkdwn(m.text, 3000) },
  ]
  if (m.fields?.length) {
    blocks.push({
      type: 'section',
      fields: m.fields.slice(0, 10).map((f) => {
        const label = `*${slackText(f.label, 100)}*\n`
        return { type: 'mrkdwn', text: label + slackText(f.value, 2000 - label.length), verbatim: true }
      }),
    })
  }
  const url = ownLink(m.url)
  if (url)
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Earshot' }, url }],
    })
  blocks.push({ type: 'context', elements: [mrkdwn(`Earshot · ${m.event} · ${new Date(m.at).toISOString()}`, 300)] })
  // `text` is the fallback for notifications and clients that do not render blocks.
  return { text: slackText(`${m.title}\n${m.text}`, 4000), blocks }
}

export function genericPayload(m: WebhookMessage, id: string) {
  return {
    id,
    event: m.event,
    created_at: new Date(m.at).toISOString(),
    title: m.title,
    text: m.text,
    url: m.url ?? null,
    data: m.data,
  }
}

export function webhookEvents(hook: Webhook): string[] {
  return parseJson<string[]>(hook.events, [])
}

function wants(hook: Webhook, m: WebhookMessage): boolean {
  if (m.event !== 'test' && !webhookEvents(hook).includes(m.event)) return false
  if (hook.componentId && !(m.componentIds ?? []).includes(hook.componentId)) return false
  return true
}

/**
 * Enqueues the event for every webhook of the project that subscribed to it, inside the caller's
 * transaction; `eventKey` identifies the event (e.g. `surge:<id>`), so it is sent once per webhook
 * however often this is called. Kicks delivery. Returns the outbox ids written.
 */
export async function notifyWebhooks(
  tx: Tx,
  deps: Deps,
  projectId: string,
  eventKey: string,
  m: WebhookMessage,
  opts: { webhookId?: string } = {},
): Promise<string[]> {
  const filter = opts.webhookId
    ? and(eq(webhooks.projectId, projectId), eq(webhooks.id, opts.webhookId))
    : eq(webhooks.projectId, projectId)
  const hooks = await tx.select().from(webhooks).where(filter).all()
  const ids: string[] = []
  for (const hook of hooks) {
    if (!wants(hook, m)) continue
    const dedupeKey = `${eventKey}:${hook.id}`
    const payload = hook.kind === 'slack' ? slackPayload(m) : genericPayload(m, dedupeKey)
    const id = await enqueue(
      tx,
      { channel: 'webhook', target: hook.url, webhookId: hook.id, projectId, payload, dedupeKey },
      deps.clock.now(),
    )
    if (id) ids.push(id)
  }
  if (ids.length) kickOutbox(deps)
  return ids
}

export function validateWebhookUrl(deps: Pick<Deps, 'config'>, url: string): string {
  try {
    return checkTargetUrl(url, deps.config).toString()
  } catch (error) {
    if (error instanceof UnsafeTargetError)
      throw new DomainError('invalid', 'invalid_webhook_url', `This URL cannot receive webhooks: ${error.message}.`)
    throw error
  }
}

export async function createWebhook(
  deps: Deps,
  input: { projectId: string; url: string; kind: WebhookKind; events: string[]; componentId?: string | null },
): Promise<{ webhook: Webhook; secret: string }> {
  const url = validateWebhookUrl(deps, input.url)
  const secret = newSecret('whsec')
  const secretEnc = await encryptSecret(deps.config, secret)
  const now = deps.clock.now()
  const webhook: Webhook = {
    id: newId('whk', now),
    projectId: input.projectId,
    url,
    kind: input.kind,
    events: JSON.stringify([...new Set(input.events)]),
    secretEnc,
    secretHint: secret.slice(-4),
    componentId: input.componentId ?? null,
    createdAt: now,
  }
  await deps.db.write((tx) => tx.insert(webhooks).values(webhook))
  return { webhook, secret }
}

export async function listWebhooks(db: Reader, projectId: string): Promise<Webhook[]> {
  return db.select().from(webhooks).where(eq(webhooks.projectId, projectId)).orderBy(desc(webhooks.createdAt)).all()
}

export async function getWebhook(db: Reader, id: string): Promise<Webhook | undefined> {
  return db.select().from(webhooks).where(eq(webhooks.id, id)).get()
}

/** Deletes the webhook; its undelivered notifications are given up (recorded as failed). */
export async function deleteWebhook(deps: Deps, id: string): Promise<void> {
  await deps.db.write(async (tx) => {
    await tx
      .update(outbox)
      .set({ status: 'failed', lastError: 'webhook was deleted' })
      .where(and(eq(outbox.webhookId, id), eq(outbox.status, 'pending')))
    await tx.delete(webhooks).where(eq(webhooks.id, id))
  })
}

export interface DeliveryLogRow {
  outboxId: string
  event: string | null
  attempt: number
  statusCode: number | null
  durationMs: number
  error: string | null
  at: number
  /** The notification's state now: pending (will retry), sending, sent, failed. */
  status: string
}

export async function listDeliveries(db: Reader, webhookId: string, limit = 50): Promise<DeliveryLogRow[]> {
  const rows = await db
    .select({
      outboxId: deliveries.outboxId,
      attempt: deliveries.attempt,
      statusCode: deliveries.statusCode,
      durationMs: deliveries.durationMs,
      error: deliveries.error,
      at: deliveries.at,
      status: outbox.status,
      dedupeKey: outbox.dedupeKey,
    })
    .from(deliveries)
    .innerJoin(outbox, eq(outbox.id, deliveries.outboxId))
    .where(eq(outbox.webhookId, webhookId))
    .orderBy(desc(deliveries.at), desc(deliveries.attempt))
    .limit(limit)
    .all()
  return rows.map(({ dedupeKey, ...r }) => ({ ...r, event: dedupeKey.split(':')[0] ?? null }))
}

/** Queues a `test` event for one webhook and starts delivery; the answer shows up in its delivery log. */
export async function sendTestEvent(deps: Deps, hook: Webhook): Promise<string> {
  const now = deps.clock.now()
  const message: WebhookMessage = {
    event: 'test',
    title: 'Earshot test notification',
    text: 'If you can read this, the webhook works. Surge alerts will arrive here.',
    data: { webhook_id: hook.id },
    at: now,
  }
  const ids = await deps.db.write((tx) =>
    notifyWebhooks(tx, deps, hook.projectId, `test:${newId('tst', now)}`, message, { webhookId: hook.id }),
  )
  return ids[0]!
}
