CREATE TABLE `custom_domains` (
	`project_id` text PRIMARY KEY NOT NULL,
	`domain` text NOT NULL,
	`token` text NOT NULL,
	`created_at` integer NOT NULL,
	`verified_at` integer,
	`checked_at` integer,
	`last_error` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "custom_domains_domain_lower" CHECK("custom_domains"."domain" = lower("custom_domains"."domain"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_domains_verified_unique` ON `custom_domains` (`domain`) WHERE "custom_domains"."verified_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `custom_domains_domain_idx` ON `custom_domains` (`domain`);
--> statement-breakpoint
-- Hand-written: a domain set before verification existed (projects.settings.custom_domain) becomes a
-- pending claim with a fresh token, served again only once verified; the settings key goes away.
INSERT INTO `custom_domains` (project_id, domain, token, created_at)
  SELECT id, lower(trim(json_extract(settings, '$.custom_domain'))), lower(hex(randomblob(16))), CAST(strftime('%s', 'now') AS INTEGER) * 1000
  FROM projects WHERE json_valid(settings) AND json_type(settings, '$.custom_domain') = 'text' AND trim(json_extract(settings, '$.custom_domain')) <> '';
--> statement-breakpoint
UPDATE `projects` SET settings = json_remove(settings, '$.custom_domain') WHERE json_valid(settings) AND json_type(settings, '$.custom_domain') IS NOT NULL;
