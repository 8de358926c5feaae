PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_surges` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`scope` text NOT NULL,
	`cluster_id` text,
	`topic` text,
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
	CONSTRAINT "surges_scope_valid" CHECK("__new_surges"."scope" IN ('cluster','topic','project'))
);
--> statement-breakpoint
INSERT INTO `__new_surges`("id", "project_id", "scope", "cluster_id", "started_at", "reports", "reporters", "expected", "window_minutes", "release", "deploy_id", "deploy_release", "deployed_at", "ended_at", "last_hot_at", "peak_reports") SELECT "id", "project_id", "scope", "cluster_id", "started_at", "reports", "reporters", "expected", "window_minutes", "release", "deploy_id", "deploy_release", "deployed_at", "ended_at", "last_hot_at", "peak_reports" FROM `surges`;--> statement-breakpoint
DROP TABLE `surges`;--> statement-breakpoint
ALTER TABLE `__new_surges` RENAME TO `surges`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `surges_project_started_idx` ON `surges` (`project_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `surges_cluster_idx` ON `surges` (`cluster_id`,`started_at`);