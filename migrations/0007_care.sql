-- Exclusion constraints on time ranges (no caregiver and no elder double-booked) need btree_gist
-- for the uuid equality part; PGlite loads the same extension (bff/src/infra/embedded-postgres.ts).
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
CREATE TYPE "public"."care_booking_status" AS ENUM('requested', 'confirmed', 'in_service', 'completed', 'cancelled', 'no_show');--> statement-breakpoint
CREATE TYPE "public"."care_performer" AS ENUM('caregiver', 'volunteer');--> statement-breakpoint
CREATE TYPE "public"."care_provider_status" AS ENUM('pending', 'verified', 'rejected', 'suspended');--> statement-breakpoint
CREATE TYPE "public"."meal_kind" AS ENUM('lunch', 'dinner');--> statement-breakpoint
CREATE TYPE "public"."meal_mode" AS ENUM('dine_in', 'delivery');--> statement-breakpoint
ALTER TYPE "public"."role" ADD VALUE 'provider' BEFORE 'volunteer';--> statement-breakpoint
CREATE TABLE "care_bookings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"short_no" text NOT NULL,
	"elder_id" uuid NOT NULL,
	"booked_by" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"item_name" text NOT NULL,
	"provider_id" uuid NOT NULL,
	"caregiver_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"block_start" timestamp (3) with time zone NOT NULL,
	"block_end" timestamp (3) with time zone NOT NULL,
	"local_date" date NOT NULL,
	"price_fen" integer NOT NULL,
	"voucher_fen" integer DEFAULT 0 NOT NULL,
	"self_pay_fen" integer DEFAULT 0 NOT NULL,
	"paid_at" timestamp (3) with time zone,
	"note" text DEFAULT '' NOT NULL,
	"status" "care_booking_status" NOT NULL,
	"confirm_by" timestamp (3) with time zone,
	"cancelled_at" timestamp (3) with time zone,
	"cancelled_by" uuid,
	"cancel_reason" text,
	"late_cancel" boolean DEFAULT false NOT NULL,
	"no_show_by" text,
	"version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "care_bookings_short_no_unique" UNIQUE("short_no"),
	CONSTRAINT "care_bookings_order" CHECK ("care_bookings"."starts_at" < "care_bookings"."ends_at" AND "care_bookings"."block_start" <= "care_bookings"."starts_at"),
	CONSTRAINT "care_bookings_money" CHECK ("care_bookings"."voucher_fen" >= 0 AND "care_bookings"."self_pay_fen" >= 0 AND "care_bookings"."voucher_fen" + "care_bookings"."self_pay_fen" = "care_bookings"."price_fen"),
	CONSTRAINT "care_bookings_no_show_by" CHECK ("care_bookings"."no_show_by" IS NULL OR "care_bookings"."no_show_by" IN ('elder', 'caregiver'))
);
--> statement-breakpoint
CREATE TABLE "care_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "care_categories_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "care_incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"booking_id" uuid NOT NULL,
	"reported_by" uuid NOT NULL,
	"description" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"category_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"duration_min" integer NOT NULL,
	"price_fen" integer NOT NULL,
	"performer" "care_performer" DEFAULT 'caregiver' NOT NULL,
	"certification" text,
	"subsidised" boolean DEFAULT true NOT NULL,
	"voucher_percent" integer DEFAULT 50 NOT NULL,
	"needs_confirmation" boolean DEFAULT false NOT NULL,
	"buffer_before_min" integer DEFAULT 0 NOT NULL,
	"buffer_after_min" integer DEFAULT 0 NOT NULL,
	"min_notice_min" integer DEFAULT 120 NOT NULL,
	"daily_cap" integer DEFAULT 8 NOT NULL,
	"checklist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "care_items_code_unique" UNIQUE("code"),
	CONSTRAINT "care_items_duration" CHECK ("care_items"."duration_min" BETWEEN 15 AND 720),
	CONSTRAINT "care_items_price" CHECK ("care_items"."price_fen" BETWEEN 0 AND 1000000),
	CONSTRAINT "care_items_voucher_percent" CHECK ("care_items"."voucher_percent" BETWEEN 0 AND 100),
	CONSTRAINT "care_items_buffers" CHECK ("care_items"."buffer_before_min" BETWEEN 0 AND 240 AND "care_items"."buffer_after_min" BETWEEN 0 AND 240 AND "care_items"."min_notice_min" BETWEEN 0 AND 20160),
	CONSTRAINT "care_items_daily_cap" CHECK ("care_items"."daily_cap" BETWEEN 1 AND 50)
);
--> statement-breakpoint
CREATE TABLE "care_providers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"name" text NOT NULL,
	"license_no" text NOT NULL,
	"contact_phone" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"serves_meals" boolean DEFAULT false NOT NULL,
	"status" "care_provider_status" DEFAULT 'pending' NOT NULL,
	"review_note" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "care_providers_owner_id_unique" UNIQUE("owner_id")
);
--> statement-breakpoint
CREATE TABLE "care_reminders" (
	"booking_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"sent_at" timestamp (3) with time zone,
	CONSTRAINT "care_reminders_booking_id_kind_pk" PRIMARY KEY("booking_id","kind")
);
--> statement-breakpoint
CREATE TABLE "care_settings" (
	"community_id" uuid PRIMARY KEY NOT NULL,
	"min_age" integer DEFAULT 80 NOT NULL,
	"monthly_voucher_fen" integer DEFAULT 20000 NOT NULL,
	"voucher_cap_percent" integer DEFAULT 50 NOT NULL,
	"free_cancel_hours" integer DEFAULT 24 NOT NULL,
	"confirm_within_min" integer DEFAULT 120 NOT NULL,
	CONSTRAINT "care_settings_ranges" CHECK ("care_settings"."min_age" BETWEEN 50 AND 120 AND "care_settings"."voucher_cap_percent" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "care_visit_photos" (
	"booking_id" uuid NOT NULL,
	"upload_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "care_visit_photos_booking_id_upload_id_pk" PRIMARY KEY("booking_id","upload_id")
);
--> statement-breakpoint
CREATE TABLE "care_visits" (
	"booking_id" uuid PRIMARY KEY NOT NULL,
	"clock_in_at" timestamp (3) with time zone,
	"clock_in_lat" double precision,
	"clock_in_lng" double precision,
	"clock_in_distance_m" integer,
	"clock_out_at" timestamp (3) with time zone,
	"clock_out_lat" double precision,
	"clock_out_lng" double precision,
	"clock_out_distance_m" integer,
	"location_flagged" boolean DEFAULT false NOT NULL,
	"checklist_done" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"rating" smallint,
	"rating_comment" text,
	"rated_at" timestamp (3) with time zone,
	"rated_by" uuid,
	CONSTRAINT "care_visits_rating" CHECK ("care_visits"."rating" IS NULL OR "care_visits"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "caregiver_compounds" (
	"caregiver_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	CONSTRAINT "caregiver_compounds_caregiver_id_compound_id_pk" PRIMARY KEY("caregiver_id","compound_id")
);
--> statement-breakpoint
CREATE TABLE "caregiver_hours" (
	"id" uuid PRIMARY KEY NOT NULL,
	"caregiver_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"start_min" integer NOT NULL,
	"end_min" integer NOT NULL,
	CONSTRAINT "caregiver_hours_range" CHECK ("caregiver_hours"."weekday" BETWEEN 1 AND 7 AND "caregiver_hours"."start_min" >= 0 AND "caregiver_hours"."end_min" <= 1440 AND "caregiver_hours"."start_min" < "caregiver_hours"."end_min")
);
--> statement-breakpoint
CREATE TABLE "caregiver_time_off" (
	"id" uuid PRIMARY KEY NOT NULL,
	"caregiver_id" uuid NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "caregiver_time_off_order" CHECK ("caregiver_time_off"."starts_at" < "caregiver_time_off"."ends_at")
);
--> statement-breakpoint
CREATE TABLE "caregivers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"name" text NOT NULL,
	"certifications" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"last_booked_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "caregivers_user_id_unique" UNIQUE("user_id")
);
--> statement-breakpoint
CREATE TABLE "elder_access_log" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"reader_id" uuid NOT NULL,
	"field" text NOT NULL,
	"reason" text NOT NULL,
	"booking_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "elder_profiles" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"household_id" uuid NOT NULL,
	"health_notes" text DEFAULT '' NOT NULL,
	"emergency_contacts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"preferred_caregiver_id" uuid,
	"lives_alone" boolean DEFAULT false NOT NULL,
	"dietary_notes" text DEFAULT '' NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meal_bookings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"elder_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"date" date NOT NULL,
	"meal" "meal_kind" NOT NULL,
	"mode" "meal_mode" NOT NULL,
	"compound_id" uuid NOT NULL,
	"price_fen" integer NOT NULL,
	"voucher_fen" integer DEFAULT 0 NOT NULL,
	"self_pay_fen" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meal_lists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider_id" uuid NOT NULL,
	"date" date NOT NULL,
	"meal" "meal_kind" NOT NULL,
	"dine_in" integer NOT NULL,
	"delivered" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meal_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"meals" jsonb NOT NULL,
	"mode" "meal_mode" NOT NULL,
	"weekdays" jsonb NOT NULL,
	"dietary_notes" text DEFAULT '' NOT NULL,
	"price_fen" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meal_skips" (
	"plan_id" uuid NOT NULL,
	"date" date NOT NULL,
	"meal" "meal_kind" NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meal_skips_plan_id_date_meal_pk" PRIMARY KEY("plan_id","date","meal")
);
--> statement-breakpoint
CREATE TABLE "voucher_balances" (
	"elder_id" uuid PRIMARY KEY NOT NULL,
	"balance_fen" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voucher_balances_non_negative" CHECK ("voucher_balances"."balance_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "voucher_ledger" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"month" text NOT NULL,
	"booking_id" uuid,
	"meal_booking_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voucher_ledger_kind" CHECK ("voucher_ledger"."kind" IN ('grant', 'spend', 'return'))
);
--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_order_id_orders_id_fk";
--> statement-breakpoint
DROP INDEX "payments_one_live_per_order";--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "subject" text DEFAULT 'order' NOT NULL;--> statement-breakpoint
-- Payments pay for more than orders now: the column keeps its values under a neutral name.
ALTER TABLE "payments" RENAME COLUMN "order_id" TO "subject_id";--> statement-breakpoint
ALTER TABLE "care_bookings" ADD CONSTRAINT "care_bookings_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_bookings" ADD CONSTRAINT "care_bookings_booked_by_users_id_fk" FOREIGN KEY ("booked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_bookings" ADD CONSTRAINT "care_bookings_item_id_care_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."care_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_bookings" ADD CONSTRAINT "care_bookings_provider_id_care_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."care_providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_bookings" ADD CONSTRAINT "care_bookings_caregiver_id_caregivers_id_fk" FOREIGN KEY ("caregiver_id") REFERENCES "public"."caregivers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_bookings" ADD CONSTRAINT "care_bookings_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_bookings" ADD CONSTRAINT "care_bookings_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_bookings" ADD CONSTRAINT "care_bookings_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_incidents" ADD CONSTRAINT "care_incidents_booking_id_care_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."care_bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_incidents" ADD CONSTRAINT "care_incidents_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_items" ADD CONSTRAINT "care_items_category_id_care_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."care_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_providers" ADD CONSTRAINT "care_providers_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_providers" ADD CONSTRAINT "care_providers_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_providers" ADD CONSTRAINT "care_providers_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_reminders" ADD CONSTRAINT "care_reminders_booking_id_care_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."care_bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_settings" ADD CONSTRAINT "care_settings_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visit_photos" ADD CONSTRAINT "care_visit_photos_booking_id_care_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."care_bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visit_photos" ADD CONSTRAINT "care_visit_photos_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_booking_id_care_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."care_bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_rated_by_users_id_fk" FOREIGN KEY ("rated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caregiver_compounds" ADD CONSTRAINT "caregiver_compounds_caregiver_id_caregivers_id_fk" FOREIGN KEY ("caregiver_id") REFERENCES "public"."caregivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caregiver_compounds" ADD CONSTRAINT "caregiver_compounds_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caregiver_hours" ADD CONSTRAINT "caregiver_hours_caregiver_id_caregivers_id_fk" FOREIGN KEY ("caregiver_id") REFERENCES "public"."caregivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caregiver_time_off" ADD CONSTRAINT "caregiver_time_off_caregiver_id_caregivers_id_fk" FOREIGN KEY ("caregiver_id") REFERENCES "public"."caregivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caregivers" ADD CONSTRAINT "caregivers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caregivers" ADD CONSTRAINT "caregivers_provider_id_care_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."care_providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_access_log" ADD CONSTRAINT "elder_access_log_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_access_log" ADD CONSTRAINT "elder_access_log_reader_id_users_id_fk" FOREIGN KEY ("reader_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_access_log" ADD CONSTRAINT "elder_access_log_booking_id_care_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."care_bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_profiles" ADD CONSTRAINT "elder_profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_profiles" ADD CONSTRAINT "elder_profiles_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_profiles" ADD CONSTRAINT "elder_profiles_preferred_caregiver_id_caregivers_id_fk" FOREIGN KEY ("preferred_caregiver_id") REFERENCES "public"."caregivers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meal_bookings" ADD CONSTRAINT "meal_bookings_plan_id_meal_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."meal_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meal_bookings" ADD CONSTRAINT "meal_bookings_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meal_bookings" ADD CONSTRAINT "meal_bookings_provider_id_care_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."care_providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meal_bookings" ADD CONSTRAINT "meal_bookings_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meal_lists" ADD CONSTRAINT "meal_lists_provider_id_care_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."care_providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meal_plans" ADD CONSTRAINT "meal_plans_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meal_plans" ADD CONSTRAINT "meal_plans_provider_id_care_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."care_providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meal_plans" ADD CONSTRAINT "meal_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meal_skips" ADD CONSTRAINT "meal_skips_plan_id_meal_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."meal_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_balances" ADD CONSTRAINT "voucher_balances_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_ledger" ADD CONSTRAINT "voucher_ledger_elder_id_users_id_fk" FOREIGN KEY ("elder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_ledger" ADD CONSTRAINT "voucher_ledger_booking_id_care_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."care_bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_bookings_elder" ON "care_bookings" USING btree ("elder_id","starts_at");--> statement-breakpoint
CREATE INDEX "care_bookings_caregiver_day" ON "care_bookings" USING btree ("caregiver_id","local_date");--> statement-breakpoint
CREATE INDEX "care_bookings_provider_start" ON "care_bookings" USING btree ("provider_id","starts_at");--> statement-breakpoint
CREATE INDEX "care_providers_community" ON "care_providers" USING btree ("community_id","status");--> statement-breakpoint
CREATE INDEX "caregiver_hours_caregiver" ON "caregiver_hours" USING btree ("caregiver_id");--> statement-breakpoint
CREATE INDEX "caregiver_time_off_caregiver" ON "caregiver_time_off" USING btree ("caregiver_id","starts_at");--> statement-breakpoint
CREATE INDEX "elder_access_log_elder" ON "elder_access_log" USING btree ("elder_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "meal_bookings_one" ON "meal_bookings" USING btree ("plan_id","date","meal");--> statement-breakpoint
CREATE INDEX "meal_bookings_provider_day" ON "meal_bookings" USING btree ("provider_id","date","meal");--> statement-breakpoint
CREATE UNIQUE INDEX "meal_lists_one" ON "meal_lists" USING btree ("provider_id","date","meal");--> statement-breakpoint
CREATE UNIQUE INDEX "meal_plans_one_active" ON "meal_plans" USING btree ("elder_id","provider_id") WHERE "meal_plans"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_ledger_one_grant" ON "voucher_ledger" USING btree ("elder_id","month") WHERE "voucher_ledger"."kind" = 'grant';--> statement-breakpoint
CREATE INDEX "voucher_ledger_elder" ON "voucher_ledger" USING btree ("elder_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_live_per_subject" ON "payments" USING btree ("subject","subject_id") WHERE "payments"."status" IN ('pending', 'succeeded', 'refunding');--> statement-breakpoint
ALTER TABLE "care_bookings" ADD CONSTRAINT "care_bookings_caregiver_free"
  EXCLUDE USING gist ("caregiver_id" WITH =, tstzrange("block_start", "block_end") WITH &&)
  WHERE ("status" IN ('requested', 'confirmed', 'in_service'));--> statement-breakpoint
ALTER TABLE "care_bookings" ADD CONSTRAINT "care_bookings_elder_free"
  EXCLUDE USING gist ("elder_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&)
  WHERE ("status" IN ('requested', 'confirmed', 'in_service'));--> statement-breakpoint
-- The voucher ledger and the personal-data access log are history: rows are added, never changed.
CREATE FUNCTION "refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "voucher_ledger_append_only" BEFORE UPDATE OR DELETE ON "voucher_ledger"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change"();--> statement-breakpoint
CREATE TRIGGER "elder_access_log_append_only" BEFORE UPDATE OR DELETE ON "elder_access_log"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
--> statement-breakpoint
-- Visit photos are uploads of their own purpose (private: shown only through the care views).
ALTER TYPE "public"."upload_purpose" ADD VALUE 'care_visit';--> statement-breakpoint
-- The purpose/visibility check is rebuilt to know the new purpose. The migration runs in one
-- transaction, where a value just added to an enum may not be used yet, so the CASE compares the
-- purpose as text; it says the same as the schema's CASE.
ALTER TABLE "uploads" DROP CONSTRAINT "uploads_visibility_of_purpose";--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_visibility_of_purpose" CHECK ("uploads"."visibility" = CASE "purpose"::text WHEN 'refund' THEN 'private'::upload_visibility WHEN 'post' THEN 'public'::upload_visibility WHEN 'care_visit' THEN 'private'::upload_visibility END);--> statement-breakpoint
ALTER TABLE "care_bookings" ADD COLUMN "passed_over" jsonb DEFAULT '[]'::jsonb NOT NULL;
