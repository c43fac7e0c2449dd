CREATE TABLE `access_cards` (
	`participant_id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`issued_by` text NOT NULL,
	`issued_at` integer NOT NULL,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `access_cards_code_hash_unique` ON `access_cards` (`code_hash`);--> statement-breakpoint
CREATE TABLE `home_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`participant_id` text NOT NULL,
	`group_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `home_sessions_participant_id_idx` ON `home_sessions` (`participant_id`);--> statement-breakpoint
CREATE TABLE `join_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`clinic_id` text NOT NULL,
	`session_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`redeemed_at` integer,
	`redeemed_by_device` text,
	`retired_at` integer,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`session_id`) REFERENCES `group_sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `join_codes_code_hash_unique` ON `join_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `join_codes_session_id_idx` ON `join_codes` (`session_id`);--> statement-breakpoint
CREATE TABLE `tablet_closures` (
	`session_id` text PRIMARY KEY NOT NULL,
	`ended_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `group_sessions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `tablet_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`session_id` text NOT NULL,
	`participant_id` text,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `group_sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tablet_sessions_device_id_unique` ON `tablet_sessions` (`device_id`);--> statement-breakpoint
CREATE INDEX `tablet_sessions_session_id_idx` ON `tablet_sessions` (`session_id`);