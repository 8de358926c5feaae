CREATE TABLE `customer_reporters` (
	`project_id` text NOT NULL,
	`contact_hash` text NOT NULL,
	`reporter_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `contact_hash`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_reporters_reporter_unique` ON `customer_reporters` (`reporter_id`);--> statement-breakpoint
ALTER TABLE `reports` ADD `request_hash` text;