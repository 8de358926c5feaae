CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`project_id` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "attachments_type_valid" CHECK("attachments"."content_type" IN ('image/png','image/jpeg','image/webp')),
	CONSTRAINT "attachments_size_valid" CHECK("attachments"."size" BETWEEN 1 AND 2097152)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attachments_report_unique` ON `attachments` (`report_id`);--> statement-breakpoint
CREATE INDEX `attachments_project_idx` ON `attachments` (`project_id`);