-- Neighbors: posts, comments, likes, reports, the review queue, sensitive words (helper A).
CREATE TYPE "public"."moderation_case_status" AS ENUM('open', 'restored', 'removed', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."moderation_cause" AS ENUM('reports', 'content_review', 'check_unavailable');--> statement-breakpoint
CREATE TYPE "public"."moderation_target" AS ENUM('post', 'comment');--> statement-breakpoint
CREATE TYPE "public"."neighbor_content_status" AS ENUM('published', 'hidden', 'removed', 'deleted');--> statement-breakpoint
CREATE TYPE "public"."post_topic" AS ENUM('pets', 'sports', 'parenting', 'rant', 'secondhand', 'lost_found', 'help', 'recommend');--> statement-breakpoint
CREATE TYPE "public"."report_reason" AS ENUM('spam', 'abuse', 'porn', 'fraud', 'illegal', 'privacy', 'other');--> statement-breakpoint
CREATE TABLE "moderation_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"target_type" "moderation_target" NOT NULL,
	"target_id" uuid NOT NULL,
	"post_id" uuid NOT NULL,
	"cause" "moderation_cause" NOT NULL,
	"status" "moderation_case_status" DEFAULT 'open' NOT NULL,
	"check_label" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp (3) with time zone,
	"decided_by" uuid,
	"decision_reason" text
);
--> statement-breakpoint
CREATE TABLE "neighbor_comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"post_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"parent_id" uuid,
	"reply_to_id" uuid,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"status" "neighbor_content_status" DEFAULT 'published' NOT NULL,
	"report_count" integer DEFAULT 0 NOT NULL,
	"moderation_reason" text,
	"moderated_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "neighbor_likes" (
	"post_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "neighbor_likes_post_id_user_id_pk" PRIMARY KEY("post_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "neighbor_posts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"topic" "post_topic" NOT NULL,
	"title" text,
	"body" text NOT NULL,
	"search_text" text GENERATED ALWAYS AS (coalesce(title, '') || ' ' || body) STORED NOT NULL,
	"merchant_id" uuid,
	"image_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"status" "neighbor_content_status" DEFAULT 'published' NOT NULL,
	"like_count" integer DEFAULT 0 NOT NULL,
	"report_count" integer DEFAULT 0 NOT NULL,
	"moderation_reason" text,
	"moderated_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "neighbor_posts_likes" CHECK ("neighbor_posts"."like_count" >= 0),
	CONSTRAINT "neighbor_posts_images" CHECK (cardinality("neighbor_posts"."image_ids") <= 9),
	CONSTRAINT "neighbor_posts_merchant_topic" CHECK ("neighbor_posts"."merchant_id" IS NULL OR "neighbor_posts"."topic" = 'recommend')
);
--> statement-breakpoint
CREATE TABLE "neighbor_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"target_type" "moderation_target" NOT NULL,
	"target_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"reporter_id" uuid NOT NULL,
	"reason" "report_reason" NOT NULL,
	"note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "neighbor_sensitive_words" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"word" text NOT NULL,
	"normalised" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "moderation_cases" ADD CONSTRAINT "moderation_cases_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_cases" ADD CONSTRAINT "moderation_cases_post_id_neighbor_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."neighbor_posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_cases" ADD CONSTRAINT "moderation_cases_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_comments" ADD CONSTRAINT "neighbor_comments_post_id_neighbor_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."neighbor_posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_comments" ADD CONSTRAINT "neighbor_comments_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_comments" ADD CONSTRAINT "neighbor_comments_reply_to_id_users_id_fk" FOREIGN KEY ("reply_to_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_comments" ADD CONSTRAINT "neighbor_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_likes" ADD CONSTRAINT "neighbor_likes_post_id_neighbor_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."neighbor_posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_likes" ADD CONSTRAINT "neighbor_likes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_posts" ADD CONSTRAINT "neighbor_posts_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_posts" ADD CONSTRAINT "neighbor_posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_posts" ADD CONSTRAINT "neighbor_posts_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_reports" ADD CONSTRAINT "neighbor_reports_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_reports" ADD CONSTRAINT "neighbor_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_sensitive_words" ADD CONSTRAINT "neighbor_sensitive_words_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbor_sensitive_words" ADD CONSTRAINT "neighbor_sensitive_words_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "moderation_cases_one_open" ON "moderation_cases" USING btree ("target_type","target_id") WHERE "moderation_cases"."status" = 'open';--> statement-breakpoint
CREATE INDEX "moderation_cases_queue" ON "moderation_cases" USING btree ("community_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "neighbor_comments_thread" ON "neighbor_comments" USING btree ("post_id","parent_id","created_at","id");--> statement-breakpoint
CREATE INDEX "neighbor_comments_author" ON "neighbor_comments" USING btree ("author_id","community_id","created_at");--> statement-breakpoint
CREATE INDEX "neighbor_posts_feed" ON "neighbor_posts" USING btree ("community_id","created_at","id") WHERE "neighbor_posts"."status" = 'published';--> statement-breakpoint
CREATE INDEX "neighbor_posts_topic" ON "neighbor_posts" USING btree ("community_id","topic","created_at","id") WHERE "neighbor_posts"."status" = 'published';--> statement-breakpoint
CREATE INDEX "neighbor_posts_author" ON "neighbor_posts" USING btree ("author_id","community_id","created_at");--> statement-breakpoint
CREATE INDEX "neighbor_posts_merchant" ON "neighbor_posts" USING btree ("merchant_id","created_at","id") WHERE "neighbor_posts"."merchant_id" IS NOT NULL AND "neighbor_posts"."status" = 'published';--> statement-breakpoint
CREATE UNIQUE INDEX "neighbor_reports_once" ON "neighbor_reports" USING btree ("target_type","target_id","reporter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "neighbor_sensitive_words_unique" ON "neighbor_sensitive_words" USING btree ("community_id","normalised");--> statement-breakpoint
-- custom: substring search over title and text. pg_trgm first (PGlite loads it as a contrib
-- extension in infra/embedded-postgres.ts); a GIN trigram index serves ILIKE for 3+ characters.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "neighbor_posts_search" ON "neighbor_posts" USING gin ("search_text" gin_trgm_ops) WHERE "status" = 'published';
