CREATE TABLE `cluster_hourly` (
	`cluster_id` text NOT NULL,
	`hour` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`cluster_id`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `cluster_sources` (
	`cluster_id` text NOT NULL,
	`source` text NOT NULL,
	`channel` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`cluster_id`, `source`, `channel`)
);
--> statement-breakpoint
-- Kept exact by triggers (hand-written below the generated tables): every insert, cluster change
-- (assignment at intake, responder moves and merges, refinement) and delete of a report.
INSERT INTO `cluster_hourly` (cluster_id, hour, count)
  SELECT cluster_id, created_at / 3600000, count(*) FROM reports WHERE cluster_id IS NOT NULL GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `cluster_sources` (cluster_id, source, channel, count)
  SELECT cluster_id, source, coalesce(channel, ''), count(*) FROM reports WHERE cluster_id IS NOT NULL GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER `reports_counts_ai` AFTER INSERT ON `reports` WHEN new.cluster_id IS NOT NULL BEGIN
  INSERT INTO cluster_hourly (cluster_id, hour, count) VALUES (new.cluster_id, new.created_at / 3600000, 1)
    ON CONFLICT (cluster_id, hour) DO UPDATE SET count = count + 1;
  INSERT INTO cluster_sources (cluster_id, source, channel, count) VALUES (new.cluster_id, new.source, coalesce(new.channel, ''), 1)
    ON CONFLICT (cluster_id, source, channel) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_counts_au` AFTER UPDATE OF cluster_id ON `reports` WHEN old.cluster_id IS NOT new.cluster_id BEGIN
  UPDATE cluster_hourly SET count = count - 1 WHERE cluster_id = old.cluster_id AND hour = old.created_at / 3600000;
  UPDATE cluster_sources SET count = count - 1 WHERE cluster_id = old.cluster_id AND source = old.source AND channel = coalesce(old.channel, '');
  INSERT INTO cluster_hourly (cluster_id, hour, count) SELECT new.cluster_id, new.created_at / 3600000, 1 WHERE new.cluster_id IS NOT NULL
    ON CONFLICT (cluster_id, hour) DO UPDATE SET count = count + 1;
  INSERT INTO cluster_sources (cluster_id, source, channel, count) SELECT new.cluster_id, new.source, coalesce(new.channel, ''), 1 WHERE new.cluster_id IS NOT NULL
    ON CONFLICT (cluster_id, source, channel) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_counts_ad` AFTER DELETE ON `reports` WHEN old.cluster_id IS NOT NULL BEGIN
  UPDATE cluster_hourly SET count = count - 1 WHERE cluster_id = old.cluster_id AND hour = old.created_at / 3600000;
  UPDATE cluster_sources SET count = count - 1 WHERE cluster_id = old.cluster_id AND source = old.source AND channel = coalesce(old.channel, '');
END;
