import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { incidents, incidentUpdates, projects } from './core.js'

// Incident communication: components, maintenance, subscribers, status-page tokens and the
// "your problem is fixed" notices shown in reporters' browsers. Times are epoch milliseconds.

export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage'] as const
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number]

/** A part of the product customers recognise ("Checkout", "API"). Its shown status is derived. */
export const components = sqliteTable(
  'components',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    /** The baseline a responder sets by hand; active incidents and maintenance override it when worse. */
    status: text('status', { enum: COMPONENT_STATUSES }).notNull().default('operational'),
    createdAt: integer('created_at').notNull(),
    /** Removed components keep their history (incidents still name them) but leave the page. */
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    index('components_project_idx').on(t.projectId, t.position),
    check(
      'components_status_valid',
      sql`${t.status} IN ('operational','degraded_performance','partial_outage','major_outage')`,
    ),
  ],
)

/** Which components an incident affects, and how badly. */
export const incidentComponents = sqliteTable(
  'incident_components',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    componentId: text('component_id')
      .notNull()
      .references(() => components.id),
    status: text('status', { enum: COMPONENT_STATUSES }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.componentId] }),
    index('incident_components_component_idx').on(t.componentId),
    check(
      'incident_components_status_valid',
      sql`${t.status} IN ('operational','degraded_performance','partial_outage','major_outage')`,
    ),
  ],
)

/**
 * What an update changed about the components (Statuspage's `affected_components`): the status a
 * component had in the incident before the update, and after. Written with the update, never
 * changed afterwards, so each update keeps the change it announced.
 */
export const incidentUpdateComponents = sqliteTable(
  'incident_update_components',
  {
    updateId: text('update_id')
      .notNull()
      .references(() => incidentUpdates.id),
    componentId: text('component_id')
      .notNull()
      .references(() => components.id),
    oldStatus: text('old_status', { enum: COMPONENT_STATUSES }).notNull(),
    newStatus: text('new_status', { enum: COMPONENT_STATUSES }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.updateId, t.componentId] }),
    check(
      'incident_update_components_old_valid',
      sql`${t.oldStatus} IN ('operational','degraded_performance','partial_outage','major_outage')`,
    ),
    check(
      'incident_update_components_new_valid',
      sql`${t.newStatus} IN ('operational','degraded_performance','partial_outage','major_outage')`,
    ),
  ],
)

/** Scheduled maintenance: shown from the moment it is planned, "in progress" inside its window. */
export const maintenances = sqliteTable(
  'maintenances',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    title: text('title').notNull(),
    message: text('message').notNull().default(''),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    createdById: text('created_by_id'),
    createdAt: integer('created_at').notNull(),
    cancelledAt: integer('cancelled_at'),
  },
  (t) => [
    index('maintenances_project_window_idx').on(t.projectId, t.endsAt),
    check('maintenances_window_valid', sql`${t.endsAt} > ${t.startsAt}`),
  ],
)

export const maintenanceComponents = sqliteTable(
  'maintenance_components',
  {
    maintenanceId: text('maintenance_id')
      .notNull()
      .references(() => maintenances.id),
    componentId: text('component_id')
      .notNull()
      .references(() => components.id),
  },
  (t) => [primaryKey({ columns: [t.maintenanceId, t.componentId] })],
)

export const SUBSCRIBER_KINDS = ['email', 'webhook'] as const
export const WEBHOOK_FORMATS = ['slack', 'json'] as const

/**
 * Someone told about every public update: an e-mail address (double opt-in: nothing is sent
 * before `confirmedAt`) or a webhook (Slack-compatible, or generic JSON signed with `secret`).
 */
export const subscribers = sqliteTable(
  'subscribers',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    kind: text('kind', { enum: SUBSCRIBER_KINDS }).notNull(),
    /** Lower-cased e-mail address, or the webhook URL. */
    target: text('target').notNull(),
    /** Webhooks only. */
    format: text('format', { enum: WEBHOOK_FORMATS }),
    /** Webhooks only: the HMAC-SHA256 signing secret, AES-GCM encrypted (notifications/crypto.ts). */
    secret: text('secret'),
    /** SHA-256 of the confirmation token mailed to the address. */
    confirmTokenHash: text('confirm_token_hash'),
    confirmedAt: integer('confirmed_at'),
    /** Secret in every message's unsubscribe link (one click, no sign-in). */
    unsubscribeToken: text('unsubscribe_token').notNull(),
    unsubscribedAt: integer('unsubscribed_at'),
    createdAt: integer('created_at').notNull(),
    /** The status-page language the address subscribed in: its e-mails go in it (domain/status/i18n). */
    locale: text('locale', { enum: ['en', 'zh-CN'] })
      .notNull()
      .default('en'),
  },
  (t) => [
    uniqueIndex('subscribers_project_target_unique').on(t.projectId, t.kind, t.target),
    uniqueIndex('subscribers_unsubscribe_token_unique').on(t.unsubscribeToken),
    index('subscribers_confirm_token_idx').on(t.confirmTokenHash),
    check('subscribers_kind_valid', sql`${t.kind} IN ('email','webhook')`),
    check('subscribers_locale_valid', sql`${t.locale} IN ('en','zh-CN')`),
  ],
)

/** A subscriber limited to some components; none listed means the whole project. */
export const subscriberComponents = sqliteTable(
  'subscriber_components',
  {
    subscriberId: text('subscriber_id')
      .notNull()
      .references(() => subscribers.id),
    componentId: text('component_id')
      .notNull()
      .references(() => components.id),
  },
  (t) => [primaryKey({ columns: [t.subscriberId, t.componentId] })],
)

/** Tokens that open the private view of a status page (and private incidents in the widget). */
export const statusTokens = sqliteTable(
  'status_tokens',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    tokenHash: text('token_hash').notNull(),
    label: text('label').notNull().default(''),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('status_tokens_hash_unique').on(t.tokenHash), index('status_tokens_project_idx').on(t.projectId)],
)

/**
 * A project's own status-page host (e.g. status.acme.com), one per project. It is served only
 * once verified — the project published `earshot-domain-verification=<token>` as a DNS TXT record
 * at `_earshot-challenge.<domain>` — and a verified domain belongs to exactly one project (the
 * partial unique index). Pending claims never block anyone: whoever proves control of the DNS wins.
 */
export const customDomains = sqliteTable(
  'custom_domains',
  {
    projectId: text('project_id')
      .primaryKey()
      .references(() => projects.id),
    /** Lower-case host name, no scheme, port or path. */
    domain: text('domain').notNull(),
    /** Random; the TXT record must carry it. A new claim (another domain) gets a new one. */
    token: text('token').notNull(),
    createdAt: integer('created_at').notNull(),
    verifiedAt: integer('verified_at'),
    /** The last check and what it found when it failed (shown in the dashboard). */
    checkedAt: integer('checked_at'),
    lastError: text('last_error'),
    /**
     * A verified domain is re-checked daily; the first re-check that found no record (cleared when
     * one finds it again). Three days without the record and the verification is withdrawn.
     */
    recheckFailedAt: integer('recheck_failed_at'),
  },
  (t) => [
    uniqueIndex('custom_domains_verified_unique').on(t.domain).where(sql`${t.verifiedAt} IS NOT NULL`),
    index('custom_domains_domain_idx').on(t.domain),
    check('custom_domains_domain_lower', sql`${t.domain} = lower(${t.domain})`),
  ],
)

/**
 * A message for one anonymous reporter's browser ("The problem you reported on … has been fixed"),
 * shown once by the widget: `seenAt` is set when it has been displayed.
 */
export const notices = sqliteTable(
  'notices',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    reporterId: text('reporter_id').notNull(),
    /** `resolved` when the incident was resolved; `update` for a responder's message to everyone affected. */
    kind: text('kind', { enum: ['resolved', 'update'] }).notNull(),
    /** Key that makes the same notice idempotent (one resolved notice per reporter and incident). */
    dedupeKey: text('dedupe_key').notNull(),
    message: text('message').notNull(),
    reportedAt: integer('reported_at').notNull(),
    resolvedAt: integer('resolved_at'),
    createdAt: integer('created_at').notNull(),
    seenAt: integer('seen_at'),
  },
  (t) => [
    uniqueIndex('notices_dedupe_unique').on(t.projectId, t.reporterId, t.dedupeKey),
    index('notices_reporter_idx').on(t.projectId, t.reporterId, t.seenAt),
  ],
)
