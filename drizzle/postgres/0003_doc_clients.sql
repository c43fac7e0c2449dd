CREATE TABLE "doc_clients" (
	"doc_id" text NOT NULL,
	"client_id" bigint NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "doc_clients_doc_id_client_id_pk" PRIMARY KEY("doc_id","client_id")
);
--> statement-breakpoint
ALTER TABLE "doc_clients" ADD CONSTRAINT "doc_clients_doc_id_documents_id_fk" FOREIGN KEY ("doc_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doc_clients" ADD CONSTRAINT "doc_clients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;