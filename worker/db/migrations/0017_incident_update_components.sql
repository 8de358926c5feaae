CREATE TABLE `incident_update_components` (
	`update_id` text NOT NULL,
	`component_id` text NOT NULL,
	`old_status` text NOT NULL,
	`new_status` text NOT NULL,
	PRIMARY KEY(`update_id`, `component_id`),
	FOREIGN KEY (`update_id`) REFERENCES `incident_updates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "incident_update_components_old_valid" CHECK("incident_update_components"."old_status" IN ('operational','degraded_performance','partial_outage','major_outage')),
	CONSTRAINT "incident_update_components_new_valid" CHECK("incident_update_components"."new_status" IN ('operational','degraded_performance','partial_outage','major_outage'))
);
