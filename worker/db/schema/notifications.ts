import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { projects } from './core.js'

// Notification outbox: every message (webhook request, e-mail) is written as a row in the same
// transaction as the event that causes it, then delivered by a background job with retries.

export const WEBHOOK_KINDS = ['slack', 'generic'] as const
export type WebhookKind = (typeof WEBHOOK_KINDS)[number]

/** A project's alert webhook (responders' Slack channel, PagerDuty bridge, …). */
export const webhooks = sqliteTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    url: text('url').notNull(),
    kind: text('kind', { enum: WEBHOOK_KINDS }).notNull(),
    /** JSON array of event names this webhook receives, e.g. ["surge"]. */
    events: text('events').notNull().default('["surge"]'),
    /** Signing secret, AES-GCM encrypted with EARSHOT_SECRET_KEY (signing needs the plain secret). */
    secretEnc: text('secret_enc').notNull(),
    /** Last characters of the secret, for display ("whsec_…k3f9"). */
    secretHint: text('secret_hint').notNull(),
    /** Optional status component id: only events about that component are sent. */
    componentId: text('component_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('webhooks_project_idx').on(t.projectId),
    check('webhooks_kind_valid', sql`${t.kind} IN ('slack','generic')`),
  ],
)

export const OUTBOX_CHANNELS = ['webhook', 'email'] as const
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number]
/** `sending` = claimed by a deliverer until `claimed_until`; a crashed deliverer's claim expires. */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const

export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id'),
    channel: text('channel', { enum: OUTBOX_CHANNELS }).notNull(),
    /** Webhook URL or e-mail address. */
    target: text('target').notNull(),
    /** Set when the target is one of `webhooks`: URL and secret are read from it at delivery time. */
    webhookId: text('webhook_id'),
    /** Webhook: the JSON body to POST. E-mail: { subject, text, html? }. */
    payload: text('payload').notNull(),
    /** Encrypted signing secret for webhook targets that are not in `webhooks` (status subscribers). */
    secretEnc: text('secret_enc'),
    /** The same key never enqueues twice: an event is notified once per target. */
    dedupeKey: text('dedupe_key').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    claimedUntil: integer('claimed_until'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_unique').on(t.dedupeKey),
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('outbox_webhook_idx').on(t.webhookId, t.createdAt),
    check('outbox_channel_valid', sql`${t.channel} IN ('webhook','email')`),
    check('outbox_status_valid', sql`${t.status} IN ('pending','sending','sent','failed')`),
  ],
)

/** One row per delivery attempt. */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    outboxId: text('outbox_id')
      .notNull()
      .references(() => outbox.id),
    attempt: integer('attempt').notNull(),
    /** HTTP status of the answer; null when no answer came (network error, timeout, refused target). */
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    at: integer('at').notNull(),
  },
  (t) => [index('deliveries_outbox_idx').on(t.outboxId, t.attempt)],
)
