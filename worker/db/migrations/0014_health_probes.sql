CREATE TABLE `health_probes` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
