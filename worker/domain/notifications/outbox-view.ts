// What the outbox holds, for an owner's Outbox page: every queued, sent and failed e-mail and
// webhook delivery of some projects, with its content and every attempt, so a self-hoster can see
// what would go out before an e-mail provider is configured.
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { deliveries, outbox, webhooks, type OutboxChannel } from '../../db/schema/index.js'
import type { Config } from '../../config.js'
import { parseJson } from '../shared/index.js'

export interface OutboxEntry {
  id: string
  projectId: string | null
  channel: OutboxChannel
  /** E-mail address, or the webhook's URL (read from `webhooks` when the row points at one). */
  target: string
  status: 'pending' | 'sending' | 'sent' | 'failed'
  attempts: number
  nextAttemptAt: number
  lastError: string | null
  createdAt: number
  sentAt: number | null
  /** E-mail: subject and text. Webhook: the JSON body as sent. */
  subject: string | null
  content: string
  /** Webhook event name ("surge", "incident.updated", …). */
  event: string | null
  tries: { attempt: number; statusCode: number | null; durationMs: number; error: string | null; at: number }[]
}

/**
 * Outside production the links in e-mails are shown as they are (a self-hoster can follow a
 * confirmation link from here). In production the tokens in them are hidden: an owner must not be
 * able to confirm a stranger's subscription for them, which would undo the double opt-in.
 */
export function shownText(text: string, config: Pick<Config, 'environment'>): string {
  if (config.environment !== 'production') return text
  return text.replace(/([?&]token=)[^&\s"'<>]+/g, '$1[redacted]')
}

export async function listOutbox(
  db: Reader,
  config: Pick<Config, 'environment'>,
  projectIds: string[],
  opts: { channel?: OutboxChannel; status?: OutboxEntry['status']; before?: string; limit?: number } = {},
): Promise<OutboxEntry[]> {
  if (projectIds.length === 0) return []
  const filters: SQL[] = [inArray(outbox.projectId, projectIds)]
  if (opts.channel) filters.push(eq(outbox.channel, opts.channel))
  if (opts.status) filters.push(eq(outbox.status, opts.status))
  if (opts.before) filters.push(lt(outbox.id, opts.before))
  const rows = await db
    .select({ row: outbox, hookUrl: webhooks.url })
    .from(outbox)
    .leftJoin(webhooks, eq(webhooks.id, outbox.webhookId))
    .where(and(...filters))
    .orderBy(desc(outbox.id))
    .limit(opts.limit ?? 50)
    .all()
  const ids = rows.map((r) => r.row.id)
  const tries = ids.length
    ? await db.select().from(deliveries).where(inArray(deliveries.outboxId, ids)).orderBy(deliveries.attempt).all()
    : []
  const triesOf = new Map<string, OutboxEntry['tries']>()
  for (const d of tries) {
    const list = triesOf.get(d.outboxId) ?? []
    list.push({ attempt: d.attempt, statusCode: d.statusCode, durationMs: d.durationMs, error: d.error, at: d.at })
    triesOf.set(d.outboxId, list)
  }
  return rows.map(({ row, hookUrl }) => {
    const email = row.channel === 'email' ? parseJson<{ subject?: string; text?: string }>(row.payload, {}) : undefined
    const event = row.channel === 'webhook' ? parseJson<{ event?: unknown }>(row.payload, {}).event : undefined
    return {
      id: row.id,
      projectId: row.projectId,
      channel: row.channel,
      target: hookUrl ?? row.target,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt,
      lastError: row.lastError,
      createdAt: row.createdAt,
      sentAt: row.sentAt,
      subject: email ? shownText(email.subject ?? '', config) : null,
      content: email ? shownText(email.text ?? '', config) : shownText(prettyJson(row.payload), config),
      event: typeof event === 'string' ? event : null,
      tries: triesOf.get(row.id) ?? [],
    }
  })
}

function prettyJson(s: string): string {
  try {
    return JSON.stringify(JSON.parse(s), null, 2)
  } catch {
    return s
  }
}
