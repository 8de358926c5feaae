// The Workers entry's environment and the few runtime types it touches (see workers.ts).
import type { RateLimitBinding } from '../http/rate-limit.js'
import type { R2BucketLike } from '../domain/reports/index.js'

export interface WorkersEnv {
  /** Secret: `libsql://<db>-<org>.turso.io` (or any libSQL HTTP endpoint); the same name as on Node. */
  LIBSQL_URL?: string
  /** Secret: a Turso / libSQL database token. */
  LIBSQL_AUTH_TOKEN?: string
  /** Aliases of the two above, as Turso names them. */
  TURSO_DATABASE_URL?: string
  TURSO_AUTH_TOKEN?: string
  /** wrangler's static assets (dist/public): widget.js, dashboard/. */
  ASSETS: { fetch(request: Request): Promise<Response> }
  /** R2 bucket for customers' screenshots (wrangler.toml `[[r2_buckets]]`). */
  ATTACHMENTS?: R2BucketLike
  /** Cloudflare rate-limiting bindings (wrangler.toml `[[ratelimits]]`): per-minute limits of /v1 requests. */
  RATE_LIMIT_REPORTS?: RateLimitBinding
  RATE_LIMIT_READS?: RateLimitBinding
  RATE_LIMIT_ADDRESS?: RateLimitBinding
  /** Cloudflare Queue `earshot-reports` (wrangler.toml `[[queues.producers]]`): each stored report's id. */
  REPORTS_QUEUE?: QueueLike
  [name: string]: unknown
}

// The few runtime types this file touches, declared here so the shared tsconfig does not need
// @cloudflare/workers-types (whose globals clash with the DOM lib the widget and dashboard use).
export interface ScheduledController {
  readonly cron: string
  readonly scheduledTime: number
}

export interface QueueLike {
  send(body: ReportMessage): Promise<unknown>
}

/** What intake sends to the queue: only the id; the report itself is in the database. */
export interface ReportMessage {
  id: string
}

export interface QueueMessage {
  readonly id: string
  readonly body: unknown
  readonly attempts: number
  ack(): void
  retry(options?: { delaySeconds?: number }): void
}

export interface MessageBatch {
  readonly queue: string
  readonly messages: readonly QueueMessage[]
  ackAll(): void
  retryAll(options?: { delaySeconds?: number }): void
}
