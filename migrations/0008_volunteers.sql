CREATE TYPE "public"."activity_signup_status" AS ENUM('signed_up', 'waitlisted', 'checked_in', 'checked_out', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."checkin_mode" AS ENUM('daily_tap', 'weekly_visit');--> statement-breakpoint
CREATE TYPE "public"."emergency_status" AS ENUM('raised', 'answered', 'acknowledged', 'resolved', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."help_task_status" AS ENUM('open', 'offered', 'accepted', 'in_progress', 'done', 'expired', 'escalated', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."task_hours_status" AS ENUM('pending', 'confirmed', 'disputed', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."help_task_source" AS ENUM('elder', 'proxy', 'care_item', 'staff', 'locker_errand', 'checkin_visit');--> statement-breakpoint
CREATE TYPE "public"."help_task_urgency" AS ENUM('low', 'normal', 'urgent');--> statement-breakpoint
CREATE TYPE "public"."time_bank_kind" AS ENUM('credit', 'debit', 'correction');--> statement-breakpoint
CREATE TYPE "public"."volunteer_status" AS ENUM('pending', 'verified', 'rejected', 'suspended');--> statement-breakpoint
CREATE TABLE "locker_delegations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"bank_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"code" text NOT NULL,
	"purpose" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_signups" (
	"activity_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"status" "activity_signup_status" NOT NULL,
	"seq" integer NOT NULL,
	"signed_at" timestamp (3) with time zone NOT NULL,
	"checked_in_at" timestamp (3) with time zone,
	"checked_out_at" timestamp (3) with time zone,
	CONSTRAINT "activity_signups_activity_id_volunteer_id_pk" PRIMARY KEY("activity_id","volunteer_id")
);
--> statement-breakpoint
CREATE TABLE "checkin_alerts" (
	"elder_id" uuid NOT NULL,
	"date" date NOT NULL,
	"stage" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "checkin_alerts_elder_id_date_stage_pk" PRIMARY KEY("elder_id","date","stage")
);
--> statement-breakpoint
CREATE TABLE "checkin_plans" (
	"elder_id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"mode" "checkin_mode" DEFAULT 'daily_tap' NOT NULL,
	"due_min" integer DEFAULT 600 NOT NULL,
	"grace_min" integer DEFAULT 60 NOT NULL,
	"visit_weekday" smallint DEFAULT 3 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkin_plans_due" CHECK ("checkin_plans"."due_min" BETWEEN 0 AND 1439),
	CONSTRAINT "checkin_plans_grace" CHECK ("checkin_plans"."grace_min" BETWEEN 10 AND 720),
	CONSTRAINT "checkin_plans_weekday" CHECK ("checkin_plans"."visit_weekday" BETWEEN 0 AND 6)
);
--> statement-breakpoint
CREATE TABLE "checkins" (
	"elder_id" uuid NOT NULL,
	"date" date NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"by" uuid NOT NULL,
	CONSTRAINT "checkins_elder_id_date_pk" PRIMARY KEY("elder_id","date")
);
--> statement-breakpoint
CREATE TABLE "emergency_calls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"raised_by" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"status" "emergency_status" DEFAULT 'raised' NOT NULL,
	"test_mode" boolean DEFAULT false NOT NULL,
	"round" smallint DEFAULT 0 NOT NULL,
	"responder_id" uuid,
	"answered_at" timestamp (3) with time zone,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp (3) with time zone,
	"resolved_at" timestamp (3) with time zone,
	"note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "emergency_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"call_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"user_id" uuid,
	"channel" text,
	"round" smallint DEFAULT 0 NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "emergency_team_members" (
	"team_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	CONSTRAINT "emergency_team_members_team_id_volunteer_id_pk" PRIMARY KEY("team_id","volunteer_id")
);
--> statement-breakpoint
CREATE TABLE "emergency_teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "errand_consents" (
	"elder_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"after_hours" integer DEFAULT 4 NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "errand_consents_hours" CHECK ("errand_consents"."after_hours" BETWEEN 1 AND 48)
);
--> statement-breakpoint
CREATE TABLE "help_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"elder_id" uuid NOT NULL,
	"raised_by" uuid NOT NULL,
	"source" "help_task_source" NOT NULL,
	"skill" text NOT NULL,
	"title" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"care_item_id" uuid,
	"order_id" uuid,
	"window_start" timestamp (3) with time zone NOT NULL,
	"window_end" timestamp (3) with time zone NOT NULL,
	"duration_min" integer NOT NULL,
	"urgency" "help_task_urgency" DEFAULT 'normal' NOT NULL,
	"deadline" timestamp (3) with time zone NOT NULL,
	"status" "help_task_status" DEFAULT 'open' NOT NULL,
	"wave" smallint DEFAULT 0 NOT NULL,
	"volunteer_id" uuid,
	"accepted_at" timestamp (3) with time zone,
	"checkin_code" text NOT NULL,
	"code_attempts" smallint DEFAULT 0 NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"cancelled_at" timestamp (3) with time zone,
	"cancel_reason" text,
	"minutes" integer,
	"hours_status" "task_hours_status",
	"elder_confirmed_at" timestamp (3) with time zone,
	"hours_confirm_by" timestamp (3) with time zone,
	"dispute_note" text,
	"resolved_minutes" integer,
	"rating" smallint,
	"paid_by" uuid,
	"paid_minutes" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "help_tasks_window" CHECK ("help_tasks"."window_end" > "help_tasks"."window_start"),
	CONSTRAINT "help_tasks_duration" CHECK ("help_tasks"."duration_min" BETWEEN 10 AND 480),
	CONSTRAINT "help_tasks_minutes" CHECK ("help_tasks"."minutes" IS NULL OR "help_tasks"."minutes" BETWEEN 1 AND 720),
	CONSTRAINT "help_tasks_rating" CHECK ("help_tasks"."rating" IS NULL OR "help_tasks"."rating" BETWEEN 1 AND 5),
	CONSTRAINT "help_tasks_paid" CHECK ("help_tasks"."paid_minutes" >= 0 AND ("help_tasks"."paid_minutes" = 0 OR "help_tasks"."paid_by" IS NOT NULL)),
	CONSTRAINT "help_tasks_volunteer_when_taken" CHECK ("help_tasks"."status" NOT IN ('accepted', 'in_progress', 'done') OR "help_tasks"."volunteer_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "task_offers" (
	"task_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"wave" smallint NOT NULL,
	"score" double precision NOT NULL,
	"offered_at" timestamp (3) with time zone NOT NULL,
	"declined_at" timestamp (3) with time zone,
	"decline_reason" text,
	CONSTRAINT "task_offers_task_id_volunteer_id_pk" PRIMARY KEY("task_id","volunteer_id")
);
--> statement-breakpoint
CREATE TABLE "team_activations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"team_id" uuid NOT NULL,
	"message" text NOT NULL,
	"activated_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "time_bank_accounts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"balance_min" integer DEFAULT 0 NOT NULL,
	"earned_min" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "time_bank_balance" CHECK ("time_bank_accounts"."balance_min" >= 0)
);
--> statement-breakpoint
CREATE TABLE "time_bank_ledger" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" time_bank_kind NOT NULL,
	"delta_min" integer NOT NULL,
	"reason" text NOT NULL,
	"task_id" uuid,
	"activity_id" uuid,
	"corrects_id" uuid,
	"created_by" uuid,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_bank_ledger_sign" CHECK ("time_bank_ledger"."delta_min" <> 0)
);
--> statement-breakpoint
CREATE TABLE "volunteer_activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"organiser_id" uuid NOT NULL,
	"organiser_name" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"place" text NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"credit_min" integer NOT NULL,
	"checkin_code" text NOT NULL,
	"cancelled_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteer_activities_time" CHECK ("volunteer_activities"."ends_at" > "volunteer_activities"."starts_at"),
	CONSTRAINT "volunteer_activities_capacity" CHECK ("volunteer_activities"."capacity" BETWEEN 1 AND 1000),
	CONSTRAINT "volunteer_activities_credit" CHECK ("volunteer_activities"."credit_min" BETWEEN 0 AND 720)
);
--> statement-breakpoint
CREATE TABLE "volunteers" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"building_id" uuid,
	"real_name" text NOT NULL,
	"id_tail" text NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"availability" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"weekly_cap_min" integer DEFAULT 600 NOT NULL,
	"status" "volunteer_status" DEFAULT 'pending' NOT NULL,
	"on_duty" boolean DEFAULT true NOT NULL,
	"paused_until" timestamp (3) with time zone,
	"review_note" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp (3) with time zone,
	"suspend_reason" text,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"leaderboard_opt_out" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteers_cap" CHECK ("volunteers"."weekly_cap_min" BETWEEN 0 AND 4200),
	CONSTRAINT "volunteers_id_tail" CHECK ("volunteers"."id_tail" ~ '^[0-9]{3}[0-9Xx]$')
);
--> statement-breakpoint
ALTER TABLE "locker_delegations" ADD CONSTRAINT "locker_delegations_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locker_delegations" ADD CONSTRAINT "locker_delegations_bank_id_locker_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."locker_banks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locker_delegations" ADD CONSTRAINT "locker_delegations_holder_id_users_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_activity_id_volunteer_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."volunteer_activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_volunteer_id_users_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_alerts" ADD CONSTRAINT "checkin_alerts_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_plans" ADD CONSTRAINT "checkin_plans_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_plans" ADD CONSTRAINT "checkin_plans_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_plans" ADD CONSTRAINT "checkin_plans_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_by_users_id_fk" FOREIGN KEY ("by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_calls" ADD CONSTRAINT "emergency_calls_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_calls" ADD CONSTRAINT "emergency_calls_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_calls" ADD CONSTRAINT "emergency_calls_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_calls" ADD CONSTRAINT "emergency_calls_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_calls" ADD CONSTRAINT "emergency_calls_responder_id_users_id_fk" FOREIGN KEY ("responder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_calls" ADD CONSTRAINT "emergency_calls_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_events" ADD CONSTRAINT "emergency_events_call_id_emergency_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."emergency_calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_events" ADD CONSTRAINT "emergency_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_team_members" ADD CONSTRAINT "emergency_team_members_team_id_emergency_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."emergency_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_team_members" ADD CONSTRAINT "emergency_team_members_volunteer_id_users_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_teams" ADD CONSTRAINT "emergency_teams_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "errand_consents" ADD CONSTRAINT "errand_consents_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "errand_consents" ADD CONSTRAINT "errand_consents_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_tasks" ADD CONSTRAINT "help_tasks_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_tasks" ADD CONSTRAINT "help_tasks_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_tasks" ADD CONSTRAINT "help_tasks_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_tasks" ADD CONSTRAINT "help_tasks_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_tasks" ADD CONSTRAINT "help_tasks_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_tasks" ADD CONSTRAINT "help_tasks_care_item_id_care_items_id_fk" FOREIGN KEY ("care_item_id") REFERENCES "public"."care_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_tasks" ADD CONSTRAINT "help_tasks_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_tasks" ADD CONSTRAINT "help_tasks_volunteer_id_users_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_tasks" ADD CONSTRAINT "help_tasks_paid_by_users_id_fk" FOREIGN KEY ("paid_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_offers" ADD CONSTRAINT "task_offers_task_id_help_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."help_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_offers" ADD CONSTRAINT "task_offers_volunteer_id_users_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_activations" ADD CONSTRAINT "team_activations_team_id_emergency_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."emergency_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_activations" ADD CONSTRAINT "team_activations_activated_by_users_id_fk" FOREIGN KEY ("activated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_bank_accounts" ADD CONSTRAINT "time_bank_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_bank_ledger" ADD CONSTRAINT "time_bank_ledger_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_bank_ledger" ADD CONSTRAINT "time_bank_ledger_task_id_help_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."help_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_bank_ledger" ADD CONSTRAINT "time_bank_ledger_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_activities" ADD CONSTRAINT "volunteer_activities_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_activities" ADD CONSTRAINT "volunteer_activities_organiser_id_users_id_fk" FOREIGN KEY ("organiser_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "locker_delegations_live_code" ON "locker_delegations" USING btree ("bank_id","code") WHERE "locker_delegations"."used_at" IS NULL AND "locker_delegations"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "locker_delegations_order" ON "locker_delegations" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "activity_signups_volunteer" ON "activity_signups" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "emergency_calls_community" ON "emergency_calls" USING btree ("community_id","created_at");--> statement-breakpoint
CREATE INDEX "emergency_calls_elder" ON "emergency_calls" USING btree ("elder_id");--> statement-breakpoint
CREATE INDEX "emergency_events_call" ON "emergency_events" USING btree ("call_id","created_at");--> statement-breakpoint
CREATE INDEX "help_tasks_community_status" ON "help_tasks" USING btree ("community_id","status","deadline");--> statement-breakpoint
CREATE INDEX "help_tasks_elder" ON "help_tasks" USING btree ("elder_id","created_at");--> statement-breakpoint
CREATE INDEX "help_tasks_volunteer" ON "help_tasks" USING btree ("volunteer_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "help_tasks_one_per_order" ON "help_tasks" USING btree ("order_id") WHERE "help_tasks"."source" = 'locker_errand';--> statement-breakpoint
CREATE INDEX "task_offers_volunteer" ON "task_offers" USING btree ("volunteer_id","offered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "time_bank_ledger_dedupe" ON "time_bank_ledger" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "time_bank_ledger_user" ON "time_bank_ledger" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "volunteer_activities_community" ON "volunteer_activities" USING btree ("community_id","starts_at");--> statement-breakpoint
CREATE INDEX "volunteers_community" ON "volunteers" USING btree ("community_id","status");--> statement-breakpoint
-- The time bank's ledger and an emergency's timeline are history: rows are added, never changed
-- (a correction is a new row).
CREATE TRIGGER "time_bank_ledger_append_only" BEFORE UPDATE OR DELETE ON "time_bank_ledger"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change"();--> statement-breakpoint
CREATE TRIGGER "emergency_events_append_only" BEFORE UPDATE OR DELETE ON "emergency_events"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
