ALTER TABLE `doc_updates` ADD `actor_id` text;--> statement-breakpoint
ALTER TABLE `doc_updates` ADD `device_id` text;--> statement-breakpoint
-- Custom: every update stored from now on names its author. Updates stored before this
-- migration keep actor_id NULL ("not recorded"): nobody knows who wrote them, so nothing is
-- backfilled. SQLite cannot add NOT NULL without a default, hence a trigger for new rows.
CREATE TRIGGER `doc_updates_actor_required` BEFORE INSERT ON `doc_updates`
WHEN NEW.`actor_id` IS NULL OR NEW.`actor_id` = ''
BEGIN
	SELECT RAISE(ABORT, 'doc_updates.actor_id is required');
END;
