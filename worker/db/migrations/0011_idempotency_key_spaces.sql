-- Idempotency key spaces (issue 11 #9), hand-written data migration. Keys the public API chose
-- under the prefixes now reserved for staff keys move aside (kept, unique by report id), so the
-- real help-desk ticket with that key can be stored; then keys chosen on the staff API (its
-- reports carry context.added_by) move under `support:`, where that route now puts them, so
-- retries across the upgrade still match.
UPDATE `reports` SET `idempotency_key` = 'squatted:' || `id` || ':' || `idempotency_key`
  WHERE `source` IN ('widget', 'affected') AND (lower(`idempotency_key`) LIKE 'ext:%' OR lower(`idempotency_key`) LIKE 'support:%');
--> statement-breakpoint
UPDATE `reports` SET `idempotency_key` = 'support:' || `idempotency_key`
  WHERE json_extract(`context`, '$.added_by') IS NOT NULL AND `idempotency_key` NOT LIKE 'ext:%' AND `idempotency_key` NOT LIKE 'auto\_%' ESCAPE '\';
