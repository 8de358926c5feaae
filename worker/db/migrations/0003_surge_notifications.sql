CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`outbox_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`status_code` integer,
	`duration_ms` integer NOT NULL,
	`error` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deliveries_outbox_idx` ON `deliveries` (`outbox_id`,`attempt`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text,
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`webhook_id` text,
	`payload` text NOT NULL,
	`secret_enc` text,
	`dedupe_key` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`claimed_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	CONSTRAINT "outbox_channel_valid" CHECK("outbox"."channel" IN ('webhook','email')),
	CONSTRAINT "outbox_status_valid" CHECK("outbox"."status" IN ('pending','sending','sent','failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_unique` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_webhook_idx` ON `outbox` (`webhook_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`url` text NOT NULL,
	`kind` text NOT NULL,
	`events` text DEFAULT '["surge"]' NOT NULL,
	`secret_enc` text NOT NULL,
	`secret_hint` text NOT NULL,
	`component_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "webhooks_kind_valid" CHECK("webhooks"."kind" IN ('slack','generic'))
);
--> statement-breakpoint
CREATE INDEX `webhooks_project_idx` ON `webhooks` (`project_id`);--> statement-breakpoint
CREATE TABLE `deploys` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`release` text NOT NULL,
	`environment` text,
	`url` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deploys_project_created_idx` ON `deploys` (`project_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `surge_buckets` (
	`project_id` text NOT NULL,
	`scope` text NOT NULL,
	`minute` integer NOT NULL,
	`reports` integer DEFAULT 0 NOT NULL,
	`reporters_last` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`project_id`, `scope`, `minute`)
);
--> statement-breakpoint
CREATE TABLE `surge_reporters` (
	`project_id` text NOT NULL,
	`scope` text NOT NULL,
	`reporter` text NOT NULL,
	`minute` integer NOT NULL,
	PRIMARY KEY(`project_id`, `scope`, `reporter`)
);
--> statement-breakpoint
CREATE INDEX `surge_reporters_minute_idx` ON `surge_reporters` (`minute`);--> statement-breakpoint
CREATE TABLE `surge_state` (
	`project_id` text NOT NULL,
	`scope` text NOT NULL,
	`mass` real NOT NULL,
	`decayed_at` integer NOT NULL,
	`first_seen_at` integer NOT NULL,
	`active_surge_id` text,
	`last_hot_at` integer,
	PRIMARY KEY(`project_id`, `scope`)
);
--> statement-breakpoint
CREATE INDEX `surge_state_active_idx` ON `surge_state` (`project_id`,`active_surge_id`);--> statement-breakpoint
CREATE TABLE `surges` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`scope` text NOT NULL,
	`cluster_id` text,
	`started_at` integer NOT NULL,
	`reports` integer NOT NULL,
	`reporters` integer NOT NULL,
	`expected` real NOT NULL,
	`window_minutes` integer NOT NULL,
	`release` text,
	`deploy_id` text,
	`deploy_release` text,
	`deployed_at` integer,
	`ended_at` integer,
	`last_hot_at` integer NOT NULL,
	`peak_reports` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "surges_scope_valid" CHECK("surges"."scope" IN ('cluster','project'))
);
--> statement-breakpoint
CREATE INDEX `surges_project_started_idx` ON `surges` (`project_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `surges_cluster_idx` ON `surges` (`cluster_id`,`started_at`);