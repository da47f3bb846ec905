CREATE TYPE "public"."upload_purpose" AS ENUM('refund', 'post');--> statement-breakpoint
CREATE TYPE "public"."upload_visibility" AS ENUM('public', 'private');--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"purpose" "upload_purpose" NOT NULL,
	"visibility" "upload_visibility" NOT NULL,
	"content_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" integer NOT NULL,
	"image_key" text NOT NULL,
	"thumb_key" text NOT NULL,
	"attached_type" text,
	"attached_id" uuid,
	"attached_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uploads_attachment_whole" CHECK (("uploads"."attached_type" IS NULL) = ("uploads"."attached_id" IS NULL) AND ("uploads"."attached_id" IS NULL) = ("uploads"."attached_at" IS NULL)),
	CONSTRAINT "uploads_visibility_of_purpose" CHECK ("uploads"."visibility" = CASE "purpose" WHEN 'refund' THEN 'private'::upload_visibility WHEN 'post' THEN 'public'::upload_visibility END),
	CONSTRAINT "uploads_size_positive" CHECK ("uploads"."bytes" > 0 AND "uploads"."width" > 0 AND "uploads"."height" > 0)
);
--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "uploads_attached_idx" ON "uploads" USING btree ("attached_type","attached_id");--> statement-breakpoint
CREATE INDEX "uploads_owner_idx" ON "uploads" USING btree ("owner_id","created_at");