-- Dashboard read paths. Sparklines and the cluster timeline count a cluster's reports by time:
-- (cluster_id, created_at) answers that from the index alone, without touching report rows.
CREATE INDEX IF NOT EXISTS `reports_cluster_created_idx` ON `reports` (`cluster_id`, `created_at`);
