CREATE TYPE "public"."poll_results_visibility" AS ENUM('after_vote', 'after_close');--> statement-breakpoint
CREATE TYPE "public"."moderation_case_status" AS ENUM('open', 'restored', 'removed', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."moderation_cause" AS ENUM('reports', 'content_review', 'check_unavailable');--> statement-breakpoint
CREATE TYPE "public"."moderation_target" AS ENUM('post', 'comment');--> statement-breakpoint
CREATE TYPE "public"."neighbor_content_status" AS ENUM('published', 'hidden', 'removed', 'deleted');--> statement-breakpoint
CREATE TYPE "public"."post_topic" AS ENUM('pets', 'sports', 'parenting', 'rant', 'secondhand', 'lost_found', 'help', 'recommend');--> statement-breakpoint
CREATE TYPE "public"."report_reason" AS ENUM('spam', 'abuse', 'porn', 'fraud', 'illegal', 'privacy', 'other');--> statement-breakpoint
CREATE TYPE "public"."request_actor_role" AS ENUM('resident', 'staff', 'handler', 'system');--> statement-breakpoint
CREATE TYPE "public"."request_category" AS ENUM('repair', 'environment', 'safety', 'neighbor', 'complaint', 'need');--> statement-breakpoint
CREATE TYPE "public"."request_contact" AS ENUM('phone', 'inbox', 'visit');--> statement-breakpoint
CREATE TYPE "public"."request_event_kind" AS ENUM('submit', 'dispatch', 'accept', 'decline', 'resolve', 'close', 'reopen', 'reject', 'withdraw', 'rate', 'escalate_response', 'escalate_resolution');--> statement-breakpoint
CREATE TYPE "public"."resident_request_status" AS ENUM('submitted', 'dispatched', 'accepted', 'resolved', 'reopened', 'closed', 'rejected', 'withdrawn');--> statement-breakpoint
ALTER TYPE "public"."upload_purpose" ADD VALUE 'notice';--> statement-breakpoint
ALTER TYPE "public"."upload_purpose" ADD VALUE 'request';--> statement-breakpoint
CREATE TABLE "community_alert_acks" (
	"alert_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"acked_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "community_alert_acks_alert_id_user_id_pk" PRIMARY KEY("alert_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "community_activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"group_id" uuid,
	"organiser_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"place" text NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"checkin_code" text NOT NULL,
	"cancelled_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_activities_times" CHECK ("community_activities"."ends_at" > "community_activities"."starts_at"),
	CONSTRAINT "community_activities_capacity" CHECK ("community_activities"."capacity" > 0)
);
--> statement-breakpoint
CREATE TABLE "community_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"text" text NOT NULL,
	"members" integer NOT NULL,
	"reached" integer DEFAULT 0 NOT NULL,
	"chunks_left" integer NOT NULL,
	"delivered_at" timestamp (3) with time zone,
	"withdrawn_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_alerts_text_length" CHECK (char_length("community_alerts"."text") BETWEEN 1 AND 110),
	CONSTRAINT "community_alerts_chunks" CHECK ("community_alerts"."chunks_left" >= 0)
);
--> statement-breakpoint
CREATE TABLE "community_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"image_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"published_at" timestamp (3) with time zone NOT NULL,
	"edited_at" timestamp (3) with time zone,
	"withdrawn_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "community_activity_signups" (
	"activity_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "activity_signup_status" NOT NULL,
	"seq" integer NOT NULL,
	"signed_at" timestamp (3) with time zone NOT NULL,
	"checked_in_at" timestamp (3) with time zone,
	CONSTRAINT "community_activity_signups_activity_id_user_id_pk" PRIMARY KEY("activity_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "community_fanout_chunks" (
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"after_user" uuid,
	"up_to_user" uuid,
	"done_at" timestamp (3) with time zone,
	CONSTRAINT "community_fanout_chunks_kind_subject_id_seq_pk" PRIMARY KEY("kind","subject_id","seq"),
	CONSTRAINT "community_fanout_chunks_kind" CHECK ("community_fanout_chunks"."kind" IN ('alert', 'notice'))
);
--> statement-breakpoint
CREATE TABLE "community_group_members" (
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"joined_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "community_group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "community_groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"member_count" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"archived_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_groups_count" CHECK ("community_groups"."member_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "community_notice_reads" (
	"notice_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"read_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "community_notice_reads_notice_id_user_id_pk" PRIMARY KEY("notice_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "community_poll_votes" (
	"poll_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"choices" smallint[] NOT NULL,
	"voted_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "community_poll_votes_poll_id_household_id_pk" PRIMARY KEY("poll_id","household_id"),
	CONSTRAINT "community_poll_votes_choices" CHECK (cardinality("community_poll_votes"."choices") >= 1)
);
--> statement-breakpoint
CREATE TABLE "community_polls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"question" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"options" jsonb NOT NULL,
	"multiple" boolean DEFAULT false NOT NULL,
	"max_choices" smallint NOT NULL,
	"opens_at" timestamp (3) with time zone NOT NULL,
	"closes_at" timestamp (3) with time zone NOT NULL,
	"closed_at" timestamp (3) with time zone,
	"results_visibility" "poll_results_visibility" NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_polls_window" CHECK ("community_polls"."closes_at" > "community_polls"."opens_at"),
	CONSTRAINT "community_polls_options" CHECK (jsonb_array_length("community_polls"."options") BETWEEN 2 AND 10 AND "community_polls"."max_choices" BETWEEN 1 AND jsonb_array_length("community_polls"."options"))
);
--> statement-breakpoint
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
CREATE TABLE "request_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" "request_event_kind" NOT NULL,
	"by_role" "request_actor_role" NOT NULL,
	"by_user_id" uuid,
	"by_merchant_id" uuid,
	"note" text DEFAULT '' NOT NULL,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_settings" (
	"community_id" uuid PRIMARY KEY NOT NULL,
	"lead_staff_id" uuid,
	"updated_by" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_time_limits" (
	"community_id" uuid NOT NULL,
	"category" "request_category" NOT NULL,
	"respond_hours" integer NOT NULL,
	"resolve_hours" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_time_limits_community_id_category_pk" PRIMARY KEY("community_id","category"),
	CONSTRAINT "request_time_limits_hours" CHECK ("request_time_limits"."respond_hours" BETWEEN 1 AND 720 AND "request_time_limits"."resolve_hours" BETWEEN "request_time_limits"."respond_hours" AND 2160)
);
--> statement-breakpoint
CREATE TABLE "resident_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"raised_by" uuid NOT NULL,
	"category" "request_category" NOT NULL,
	"text" text NOT NULL,
	"location" text NOT NULL,
	"contact" "request_contact" NOT NULL,
	"photos" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"status" "resident_request_status" DEFAULT 'submitted' NOT NULL,
	"handler_user_id" uuid,
	"handler_merchant_id" uuid,
	"dispatched_at" timestamp (3) with time zone,
	"respond_by" timestamp (3) with time zone NOT NULL,
	"responded_at" timestamp (3) with time zone,
	"respond_escalated_at" timestamp (3) with time zone,
	"resolve_by" timestamp (3) with time zone NOT NULL,
	"resolved_at" timestamp (3) with time zone,
	"resolve_escalated_at" timestamp (3) with time zone,
	"resolution_note" text,
	"resolution_photos" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"resolved_by" uuid,
	"rating" smallint,
	"rating_text" text,
	"rated_at" timestamp (3) with time zone,
	"closed_at" timestamp (3) with time zone,
	"reject_reason" text,
	"reopen_count" smallint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_requests_rating" CHECK ("resident_requests"."rating" IS NULL OR "resident_requests"."rating" BETWEEN 1 AND 5),
	CONSTRAINT "resident_requests_reopens" CHECK ("resident_requests"."reopen_count" BETWEEN 0 AND 1),
	CONSTRAINT "resident_requests_one_handler" CHECK ("resident_requests"."handler_user_id" IS NULL OR "resident_requests"."handler_merchant_id" IS NULL),
	CONSTRAINT "resident_requests_photos" CHECK (cardinality("resident_requests"."photos") <= 9),
	CONSTRAINT "resident_requests_resolution_photos" CHECK (cardinality("resident_requests"."resolution_photos") <= 9),
	CONSTRAINT "resident_requests_limits" CHECK ("resident_requests"."resolve_by" >= "resident_requests"."respond_by")
);
--> statement-breakpoint
ALTER TABLE "uploads" DROP CONSTRAINT "uploads_visibility_of_purpose";--> statement-breakpoint
ALTER TABLE "community_alert_acks" ADD CONSTRAINT "community_alert_acks_alert_id_community_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."community_alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_alert_acks" ADD CONSTRAINT "community_alert_acks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_activities" ADD CONSTRAINT "community_activities_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_activities" ADD CONSTRAINT "community_activities_group_id_community_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."community_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_activities" ADD CONSTRAINT "community_activities_organiser_id_users_id_fk" FOREIGN KEY ("organiser_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_alerts" ADD CONSTRAINT "community_alerts_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_alerts" ADD CONSTRAINT "community_alerts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_notices" ADD CONSTRAINT "community_notices_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_notices" ADD CONSTRAINT "community_notices_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_activity_signups" ADD CONSTRAINT "community_activity_signups_activity_id_community_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."community_activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_activity_signups" ADD CONSTRAINT "community_activity_signups_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_group_members" ADD CONSTRAINT "community_group_members_group_id_community_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."community_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_group_members" ADD CONSTRAINT "community_group_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_groups" ADD CONSTRAINT "community_groups_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_groups" ADD CONSTRAINT "community_groups_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_notice_reads" ADD CONSTRAINT "community_notice_reads_notice_id_community_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."community_notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_notice_reads" ADD CONSTRAINT "community_notice_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_poll_votes" ADD CONSTRAINT "community_poll_votes_poll_id_community_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."community_polls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_poll_votes" ADD CONSTRAINT "community_poll_votes_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_poll_votes" ADD CONSTRAINT "community_poll_votes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_polls" ADD CONSTRAINT "community_polls_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_polls" ADD CONSTRAINT "community_polls_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
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
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_request_id_resident_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."resident_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_by_merchant_id_merchants_id_fk" FOREIGN KEY ("by_merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_settings" ADD CONSTRAINT "request_settings_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_settings" ADD CONSTRAINT "request_settings_lead_staff_id_users_id_fk" FOREIGN KEY ("lead_staff_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_settings" ADD CONSTRAINT "request_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_time_limits" ADD CONSTRAINT "request_time_limits_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_time_limits" ADD CONSTRAINT "request_time_limits_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_resident_id_users_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_handler_user_id_users_id_fk" FOREIGN KEY ("handler_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_handler_merchant_id_merchants_id_fk" FOREIGN KEY ("handler_merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_requests" ADD CONSTRAINT "resident_requests_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "community_activities_upcoming" ON "community_activities" USING btree ("community_id","starts_at");--> statement-breakpoint
CREATE INDEX "community_alerts_recent" ON "community_alerts" USING btree ("community_id","created_at");--> statement-breakpoint
CREATE INDEX "community_notices_feed" ON "community_notices" USING btree ("community_id","pinned","published_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "community_activity_signups_seq" ON "community_activity_signups" USING btree ("activity_id","seq");--> statement-breakpoint
CREATE INDEX "community_group_members_user" ON "community_group_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "community_groups_name" ON "community_groups" USING btree ("community_id","name");--> statement-breakpoint
CREATE INDEX "community_polls_recent" ON "community_polls" USING btree ("community_id","closes_at");--> statement-breakpoint
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
CREATE INDEX "request_events_request" ON "request_events" USING btree ("request_id","id");--> statement-breakpoint
CREATE INDEX "resident_requests_community" ON "resident_requests" USING btree ("community_id","status","created_at");--> statement-breakpoint
CREATE INDEX "resident_requests_resident" ON "resident_requests" USING btree ("resident_id","created_at");--> statement-breakpoint
CREATE INDEX "resident_requests_handler_user" ON "resident_requests" USING btree ("handler_user_id","status");--> statement-breakpoint
CREATE INDEX "resident_requests_handler_merchant" ON "resident_requests" USING btree ("handler_merchant_id","status");--> statement-breakpoint
-- custom: substring search over title and text. pg_trgm first (PGlite loads it as a contrib
-- extension in infra/embedded-postgres.ts); a GIN trigram index serves ILIKE for 3+ characters.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "neighbor_posts_search" ON "neighbor_posts" USING gin ("search_text" gin_trgm_ops) WHERE "status" = 'published';--> statement-breakpoint
-- custom: the visibility of each upload purpose, with notice (public) and request (private) images.
-- The migration runs in one transaction, where an enum value just added may not be used yet, so the
-- CASE compares the purpose as text; it says the same as the schema's CASE.
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_visibility_of_purpose" CHECK ("uploads"."visibility" = CASE "purpose"::text WHEN 'refund' THEN 'private'::upload_visibility WHEN 'post' THEN 'public'::upload_visibility WHEN 'care_visit' THEN 'private'::upload_visibility WHEN 'notice' THEN 'public'::upload_visibility WHEN 'request' THEN 'private'::upload_visibility END);--> statement-breakpoint
-- custom: the timeline is append-only; a change to history is refused by the database itself.
CREATE FUNCTION request_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'request_events is append-only';
END;
$$;--> statement-breakpoint
CREATE TRIGGER request_events_append_only BEFORE UPDATE OR DELETE ON "request_events"
  FOR EACH ROW EXECUTE FUNCTION request_events_append_only();
