-- Generated as a table rebuild whose INSERT … SELECT read the new `locale` column from the old
-- table (it does not exist there yet); SQLite adds a column with its CHECK in place, which keeps
-- every row, the foreign keys and the indexes. Same column and constraint as the schema snapshot.
ALTER TABLE `subscribers` ADD `locale` text DEFAULT 'en' NOT NULL CONSTRAINT "subscribers_locale_valid" CHECK("locale" IN ('en','zh-CN'));
