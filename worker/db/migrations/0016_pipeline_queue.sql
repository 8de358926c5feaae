CREATE TABLE `engine_versions` (
	`project_id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pipeline_leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `reports` ADD `processed_at` integer;--> statement-breakpoint
-- Hand-written: every report stored before the pipeline existed was clustered at intake.
UPDATE `reports` SET `processed_at` = `created_at` WHERE `processed_at` IS NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `client_key` text;--> statement-breakpoint
CREATE INDEX `reports_pending_idx` ON `reports` (`processed_at`) WHERE "reports"."processed_at" IS NULL;