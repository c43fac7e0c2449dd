CREATE TABLE `consents` (
	`id` text PRIMARY KEY NOT NULL,
	`participant_id` text NOT NULL,
	`type` text NOT NULL,
	`version` integer NOT NULL,
	`signed_at` integer NOT NULL,
	`recorded_by` text NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consents_participant_id_idx` ON `consents` (`participant_id`);--> statement-breakpoint
CREATE TABLE `enrolments` (
	`group_id` text NOT NULL,
	`participant_id` text NOT NULL,
	`status` text NOT NULL,
	`enrolled_at` integer NOT NULL,
	`withdrawn_at` integer,
	`withdrawal_reason` text,
	PRIMARY KEY(`group_id`, `participant_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `enrolments_participant_id_idx` ON `enrolments` (`participant_id`);--> statement-breakpoint
CREATE TABLE `group_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`kind` text NOT NULL,
	`number` integer NOT NULL,
	`scheduled_start` integer NOT NULL,
	`planned_minutes` integer NOT NULL,
	`room` text,
	`stream_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`stream_id`) REFERENCES `event_streams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_sessions_stream_id_unique` ON `group_sessions` (`stream_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `group_sessions_number_unique` ON `group_sessions` (`group_id`,`kind`,`number`);--> statement-breakpoint
CREATE TABLE `group_staff` (
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`group_id`, `user_id`, `role`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_staff_user_id_idx` ON `group_staff` (`user_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`clinic_id` text NOT NULL,
	`name` text NOT NULL,
	`plan_preparation` integer NOT NULL,
	`plan_dosing` integer NOT NULL,
	`plan_integration` integer NOT NULL,
	`route_default` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `participants` (
	`id` text PRIMARY KEY NOT NULL,
	`clinic_id` text NOT NULL,
	`preferred_name` text NOT NULL,
	`pronouns` text,
	`emergency_contact_name` text NOT NULL,
	`emergency_contact_phone` text NOT NULL,
	`escort_contact_name` text,
	`escort_contact_phone` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action
);
