CREATE TABLE "client_owners" (
	"client_id" bigint PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "client_owners" ADD CONSTRAINT "client_owners_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Ownership recorded per document so far becomes global; where two users ever wrote under one id, the earlier claim wins.
INSERT INTO "client_owners" ("client_id", "user_id", "created_at") SELECT DISTINCT ON ("client_id") "client_id", "user_id", "created_at" FROM "doc_clients" ORDER BY "client_id", "created_at" ON CONFLICT DO NOTHING;
