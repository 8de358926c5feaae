CREATE TABLE `cluster_merge_reports` (
	`merge_id` text NOT NULL,
	`report_id` text NOT NULL,
	PRIMARY KEY(`merge_id`, `report_id`)
);
--> statement-breakpoint
CREATE INDEX `cluster_merge_reports_report_idx` ON `cluster_merge_reports` (`report_id`);--> statement-breakpoint
CREATE TABLE `cluster_merges` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`project_id` text NOT NULL,
	`source_id` text NOT NULL,
	`target_id` text NOT NULL,
	`actor_id` text,
	`source_vector` text,
	`children` text DEFAULT '[]' NOT NULL,
	`report_count` integer NOT NULL,
	`created_at` integer NOT NULL,
	`undo_until` integer NOT NULL,
	`undone_at` integer
);
--> statement-breakpoint
CREATE INDEX `cluster_merges_group_idx` ON `cluster_merges` (`group_id`);--> statement-breakpoint
CREATE INDEX `cluster_merges_project_until_idx` ON `cluster_merges` (`project_id`,`undo_until`);--> statement-breakpoint
CREATE INDEX `cluster_merges_target_idx` ON `cluster_merges` (`target_id`);--> statement-breakpoint
-- Generated as a rebuild of `clusters` whose INSERT … SELECT read the new `title_source` column
-- from the old table (it does not exist there yet); SQLite adds a column with its CHECK in place,
-- which keeps every row, the foreign keys and the indexes without copying the table.
-- Same column and constraint as the schema snapshot.
ALTER TABLE `clusters` ADD `title_source` text DEFAULT 'auto' NOT NULL CONSTRAINT "clusters_title_source_valid" CHECK("title_source" IN ('auto','human'));--> statement-breakpoint
ALTER TABLE `incidents` ADD `may_be_back_at` integer;