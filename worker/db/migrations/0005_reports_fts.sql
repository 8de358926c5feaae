-- Full-text search over what customers wrote. FTS5 with the trigram tokenizer: substring matches
-- in any script (Chinese has no spaces to split words on), external content (the text is stored
-- once, in reports), kept in sync by triggers so every intake path is indexed.
CREATE VIRTUAL TABLE `reports_fts` USING fts5(message, content='reports', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
INSERT INTO `reports_fts`(`reports_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `reports_fts_ai` AFTER INSERT ON `reports` BEGIN
  INSERT INTO `reports_fts`(rowid, message) VALUES (new.rowid, new.message);
END;
--> statement-breakpoint
CREATE TRIGGER `reports_fts_ad` AFTER DELETE ON `reports` BEGIN
  INSERT INTO `reports_fts`(`reports_fts`, rowid, message) VALUES ('delete', old.rowid, old.message);
END;
--> statement-breakpoint
CREATE TRIGGER `reports_fts_au` AFTER UPDATE OF message ON `reports` BEGIN
  INSERT INTO `reports_fts`(`reports_fts`, rowid, message) VALUES ('delete', old.rowid, old.message);
  INSERT INTO `reports_fts`(rowid, message) VALUES (new.rowid, new.message);
END;
