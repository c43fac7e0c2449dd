CREATE TABLE "journal_blobs" (
	"journal_id" text NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"blob_id" text,
	"data" "bytea" NOT NULL,
	"byte_length" integer NOT NULL,
	"covers_through" integer,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "journal_blobs_journal_id_seq_pk" PRIMARY KEY("journal_id","seq")
);
--> statement-breakpoint
CREATE TABLE "journal_unlock_failures" (
	"id" text PRIMARY KEY NOT NULL,
	"journal_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"via" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journals" (
	"id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"participant_id" text NOT NULL,
	"kdf" text NOT NULL,
	"passphrase_salt" text NOT NULL,
	"recovery_salt" text NOT NULL,
	"wrapped_by_passphrase" text NOT NULL,
	"wrapped_by_recovery" text NOT NULL,
	"passphrase_proof_hash" text NOT NULL,
	"recovery_proof_hash" text NOT NULL,
	"head_seq" integer DEFAULT 0 NOT NULL,
	"total_bytes" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"last_unlocked_at" timestamp with time zone,
	CONSTRAINT "journals_participant_id_unique" UNIQUE("participant_id")
);
--> statement-breakpoint
ALTER TABLE "journal_blobs" ADD CONSTRAINT "journal_blobs_journal_id_journals_id_fk" FOREIGN KEY ("journal_id") REFERENCES "public"."journals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_unlock_failures" ADD CONSTRAINT "journal_unlock_failures_journal_id_journals_id_fk" FOREIGN KEY ("journal_id") REFERENCES "public"."journals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journals" ADD CONSTRAINT "journals_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journals" ADD CONSTRAINT "journals_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "journal_blobs_blob_id_unique" ON "journal_blobs" USING btree ("journal_id","blob_id");--> statement-breakpoint
CREATE INDEX "journal_unlock_failures_journal_id_idx" ON "journal_unlock_failures" USING btree ("journal_id");