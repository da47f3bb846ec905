-- The community office (helper B): notices with read receipts, urgent alerts fanned out in chunks,
-- household polls, interest groups, community activities. Generated from community/tables.ts.
CREATE TYPE "public"."poll_results_visibility" AS ENUM('after_vote', 'after_close');--> statement-breakpoint
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
CREATE INDEX "community_activities_upcoming" ON "community_activities" USING btree ("community_id","starts_at");--> statement-breakpoint
CREATE INDEX "community_alerts_recent" ON "community_alerts" USING btree ("community_id","created_at");--> statement-breakpoint
CREATE INDEX "community_notices_feed" ON "community_notices" USING btree ("community_id","pinned","published_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "community_activity_signups_seq" ON "community_activity_signups" USING btree ("activity_id","seq");--> statement-breakpoint
CREATE INDEX "community_group_members_user" ON "community_group_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "community_groups_name" ON "community_groups" USING btree ("community_id","name");--> statement-breakpoint
CREATE INDEX "community_polls_recent" ON "community_polls" USING btree ("community_id","closes_at");
--> statement-breakpoint
-- custom: notice images are uploads of their own purpose (public, like the notice). The migration
-- runs in one transaction, where a value just added to an enum may not be used yet, so the CASE
-- compares the purpose as text; it says the same as the schema's CASE.
ALTER TYPE "public"."upload_purpose" ADD VALUE 'notice';--> statement-breakpoint
ALTER TABLE "uploads" DROP CONSTRAINT "uploads_visibility_of_purpose";--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_visibility_of_purpose" CHECK ("uploads"."visibility" = CASE "purpose"::text WHEN 'refund' THEN 'private'::upload_visibility WHEN 'post' THEN 'public'::upload_visibility WHEN 'care_visit' THEN 'private'::upload_visibility WHEN 'notice' THEN 'public'::upload_visibility END);
