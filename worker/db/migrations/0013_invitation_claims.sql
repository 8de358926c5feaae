ALTER TABLE `invitations` ADD `claim_email` text;--> statement-breakpoint
ALTER TABLE `invitations` ADD `claim_name` text;--> statement-breakpoint
ALTER TABLE `invitations` ADD `claim_password_hash` text;--> statement-breakpoint
ALTER TABLE `invitations` ADD `claimed_at` integer;--> statement-breakpoint
CREATE INDEX `invitations_claim_email_idx` ON `invitations` (`claim_email`,`claimed_at`);