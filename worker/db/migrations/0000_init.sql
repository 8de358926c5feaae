CREATE TABLE `clusters` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`title` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`report_count` integer DEFAULT 0 NOT NULL,
	`reporter_count` integer DEFAULT 0 NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`merged_into_id` text,
	`incident_id` text,
	`assignee_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "clusters_status_valid" CHECK("clusters"."status" IN ('open','acknowledged','muted','resolved')),
	CONSTRAINT "clusters_counts_non_negative" CHECK("clusters"."report_count" >= 0 AND "clusters"."reporter_count" >= 0)
);
--> statement-breakpoint
CREATE INDEX `clusters_project_last_seen_idx` ON `clusters` (`project_id`,`last_seen_at`);--> statement-breakpoint
CREATE INDEX `clusters_incident_idx` ON `clusters` (`incident_id`);--> statement-breakpoint
CREATE TABLE `incident_updates` (
	`id` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`status` text NOT NULL,
	`message` text NOT NULL,
	`internal_note` text,
	`author_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "incident_updates_status_valid" CHECK("incident_updates"."status" IN ('investigating','identified','monitoring','resolved'))
);
--> statement-breakpoint
CREATE INDEX `incident_updates_incident_created_idx` ON `incident_updates` (`incident_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`title` text NOT NULL,
	`impact` text DEFAULT 'minor' NOT NULL,
	`visibility` text DEFAULT 'public' NOT NULL,
	`created_by_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "incidents_impact_valid" CHECK("incidents"."impact" IN ('none','minor','major','critical')),
	CONSTRAINT "incidents_visibility_valid" CHECK("incidents"."visibility" IN ('public','private'))
);
--> statement-breakpoint
CREATE INDEX `incidents_project_created_idx` ON `incidents` (`project_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`workspace_id` text NOT NULL,
	`responder_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `responder_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`responder_id`) REFERENCES `responders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "memberships_role_valid" CHECK("memberships"."role" IN ('owner','responder','support','viewer'))
);
--> statement-breakpoint
CREATE INDEX `memberships_responder_idx` ON `memberships` (`responder_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`public_key` text NOT NULL,
	`allowed_origins` text DEFAULT '[]' NOT NULL,
	`color` text DEFAULT '#4f46e5' NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "projects_slug_format" CHECK("projects"."slug" GLOB '[a-z0-9]*' AND "projects"."slug" NOT GLOB '*[^a-z0-9-]*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_slug_unique` ON `projects` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `projects_public_key_unique` ON `projects` (`public_key`);--> statement-breakpoint
CREATE INDEX `projects_workspace_idx` ON `projects` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`message` text NOT NULL,
	`email` text,
	`page_url` text,
	`route` text,
	`release` text,
	`user_agent` text,
	`locale` text,
	`category` text,
	`reporter_id` text,
	`context` text DEFAULT '{}' NOT NULL,
	`source` text DEFAULT 'widget' NOT NULL,
	`channel` text,
	`cluster_id` text,
	`incident_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reports_message_length" CHECK(length("reports"."message") BETWEEN 1 AND 5000),
	CONSTRAINT "reports_source_valid" CHECK("reports"."source" IN ('widget','support','api','affected'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_project_idempotency_unique` ON `reports` (`project_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `reports_cluster_id_idx` ON `reports` (`cluster_id`,`id`);--> statement-breakpoint
CREATE INDEX `reports_project_created_idx` ON `reports` (`project_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `reports_incident_idx` ON `reports` (`incident_id`);--> statement-breakpoint
CREATE INDEX `reports_reporter_idx` ON `reports` (`reporter_id`);--> statement-breakpoint
CREATE TABLE `responders` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `responders_email_unique` ON `responders` (`email`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`responder_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`responder_id`) REFERENCES `responders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_responder_idx` ON `sessions` (`responder_id`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
