CREATE TABLE `cluster_breakdowns` (
	`cluster_id` text NOT NULL,
	`dimension` text NOT NULL,
	`value` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`cluster_id`, `dimension`, `value`)
);
--> statement-breakpoint
CREATE TABLE `cluster_corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`kind` text NOT NULL,
	`cluster_id` text NOT NULL,
	`other_cluster_id` text,
	`report_id` text,
	`actor_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cluster_corrections_project_kind_idx` ON `cluster_corrections` (`project_id`,`kind`);--> statement-breakpoint
CREATE TABLE `cluster_postings` (
	`project_id` text NOT NULL,
	`feature` text NOT NULL,
	`cluster_id` text NOT NULL,
	`weight` real NOT NULL,
	PRIMARY KEY(`project_id`, `feature`, `cluster_id`)
);
--> statement-breakpoint
CREATE INDEX `cluster_postings_lookup_idx` ON `cluster_postings` (`project_id`,`feature`,`weight`);--> statement-breakpoint
CREATE INDEX `cluster_postings_cluster_idx` ON `cluster_postings` (`cluster_id`);--> statement-breakpoint
CREATE TABLE `cluster_reporters` (
	`cluster_id` text NOT NULL,
	`reporter_id` text NOT NULL,
	PRIMARY KEY(`cluster_id`, `reporter_id`)
);
--> statement-breakpoint
CREATE TABLE `cluster_vectors` (
	`cluster_id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`size` integer NOT NULL,
	`vector` text NOT NULL,
	`norm` real NOT NULL,
	`representative_id` text,
	`representative_score` real DEFAULT 0 NOT NULL,
	`key_terms` text DEFAULT '[]' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cluster_vectors_project_updated_idx` ON `cluster_vectors` (`project_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `clustering_df` (
	`project_id` text NOT NULL,
	`feature` text NOT NULL,
	`df` integer NOT NULL,
	PRIMARY KEY(`project_id`, `feature`)
);
--> statement-breakpoint
CREATE TABLE `clustering_stats` (
	`project_id` text PRIMARY KEY NOT NULL,
	`docs` integer DEFAULT 0 NOT NULL,
	`refined_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_features` (
	`report_id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`cluster_id` text NOT NULL,
	`bag` text NOT NULL,
	`pinned` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `report_features_cluster_idx` ON `report_features` (`cluster_id`,`created_at`);