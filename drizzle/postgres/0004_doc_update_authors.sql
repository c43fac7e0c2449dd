ALTER TABLE "doc_updates" ADD COLUMN "actor_id" text;--> statement-breakpoint
ALTER TABLE "doc_updates" ADD COLUMN "device_id" text;--> statement-breakpoint
-- Custom: every update stored from now on names its author. Updates stored before this
-- migration keep actor_id NULL ("not recorded"): nobody knows who wrote them, so nothing is
-- backfilled. NOT VALID: the constraint holds for new and changed rows, old rows are not
-- checked (and the table is not scanned, so this is quick on a large log).
ALTER TABLE "doc_updates" ADD CONSTRAINT "doc_updates_actor_required" CHECK ("actor_id" IS NOT NULL AND "actor_id" <> '') NOT VALID;
