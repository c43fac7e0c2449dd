ALTER TABLE `group_sessions` ADD `cancelled_at` integer;--> statement-breakpoint
ALTER TABLE `group_sessions` ADD `cancel_reason` text;--> statement-breakpoint
ALTER TABLE `group_sessions` ADD `cancelled_by` text REFERENCES users(id);