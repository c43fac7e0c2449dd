CREATE TABLE `client_owners` (
	`client_id` integer PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Ownership recorded per document so far becomes global; where two users ever wrote under one id, the earlier claim wins.
INSERT OR IGNORE INTO `client_owners` (`client_id`, `user_id`, `created_at`) SELECT `client_id`, `user_id`, `created_at` FROM `doc_clients` ORDER BY `created_at`;
