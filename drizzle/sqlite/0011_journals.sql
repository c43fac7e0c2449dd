CREATE TABLE `journal_blobs` (
	`journal_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`blob_id` text,
	`data` blob NOT NULL,
	`byte_length` integer NOT NULL,
	`covers_through` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`journal_id`, `seq`),
	FOREIGN KEY (`journal_id`) REFERENCES `journals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `journal_blobs_blob_id_unique` ON `journal_blobs` (`journal_id`,`blob_id`);--> statement-breakpoint
CREATE TABLE `journal_unlock_failures` (
	`id` text PRIMARY KEY NOT NULL,
	`journal_id` text NOT NULL,
	`at` integer NOT NULL,
	`method` text NOT NULL,
	`via` text NOT NULL,
	FOREIGN KEY (`journal_id`) REFERENCES `journals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `journal_unlock_failures_journal_id_idx` ON `journal_unlock_failures` (`journal_id`);--> statement-breakpoint
CREATE TABLE `journals` (
	`id` text PRIMARY KEY NOT NULL,
	`clinic_id` text NOT NULL,
	`participant_id` text NOT NULL,
	`kdf` text NOT NULL,
	`passphrase_salt` text NOT NULL,
	`recovery_salt` text NOT NULL,
	`wrapped_by_passphrase` text NOT NULL,
	`wrapped_by_recovery` text NOT NULL,
	`passphrase_proof_hash` text NOT NULL,
	`recovery_proof_hash` text NOT NULL,
	`head_seq` integer DEFAULT 0 NOT NULL,
	`total_bytes` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_unlocked_at` integer,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `journals_participant_id_unique` ON `journals` (`participant_id`);