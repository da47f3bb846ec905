CREATE TYPE "public"."assignment_status" AS ENUM('reserved', 'occupied', 'released');--> statement-breakpoint
CREATE TYPE "public"."locker_bank_status" AS ENUM('active', 'out_of_service');--> statement-breakpoint
CREATE TYPE "public"."batch_status" AS ENUM('building', 'ready', 'in_progress', 'done');--> statement-breakpoint
CREATE TYPE "public"."compartment_state" AS ENUM('free', 'reserved', 'occupied', 'out_of_service');--> statement-breakpoint
CREATE TYPE "public"."locker_disposition" AS ENUM('rescue', 'dispose', 'return');--> statement-breakpoint
CREATE TYPE "public"."delivery_window_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TABLE "compartment_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"compartment_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"status" "assignment_status" DEFAULT 'reserved' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "compartments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bank_id" uuid NOT NULL,
	"label" text NOT NULL,
	"size" "size_hint" NOT NULL,
	"zone" "temperature" NOT NULL,
	"state" "compartment_state" DEFAULT 'free' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "courier_communities" (
	"user_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	CONSTRAINT "courier_communities_user_id_community_id_pk" PRIMARY KEY("user_id","community_id")
);
--> statement-breakpoint
CREATE TABLE "delivery_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"window_id" uuid NOT NULL,
	"courier_id" uuid,
	"status" "batch_status" DEFAULT 'building' NOT NULL,
	"built_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_batches_window_id_unique" UNIQUE("window_id")
);
--> statement-breakpoint
CREATE TABLE "delivery_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"cutoff_local" text NOT NULL,
	"delivery_local" text NOT NULL,
	"delivery_day_offset" integer DEFAULT 0 NOT NULL,
	"weekdays" integer[] NOT NULL,
	"closed_dates" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery_windows" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"schedule_id" uuid,
	"cutoff_at" timestamp with time zone NOT NULL,
	"deliver_at" timestamp with time zone NOT NULL,
	"status" "delivery_window_status" DEFAULT 'open' NOT NULL,
	CONSTRAINT "delivery_windows_order" CHECK ("delivery_windows"."deliver_at" > "delivery_windows"."cutoff_at")
);
--> statement-breakpoint
CREATE TABLE "locker_banks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"compound_id" uuid NOT NULL,
	"name" text NOT NULL,
	"location" text NOT NULL,
	"status" "locker_bank_status" DEFAULT 'active' NOT NULL,
	"device_secret" text NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"code_locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "locker_pickups" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"bank_id" uuid NOT NULL,
	"code" text NOT NULL,
	"dropped_at" timestamp with time zone NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"extended_at" timestamp with time zone,
	"extension_fee_fen" integer DEFAULT 0 NOT NULL,
	"disposition" "locker_disposition",
	"reminder_job_ids" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "refunds_overdue" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "window_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "locker_bank_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "locker_consent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "compartment_assignments" ADD CONSTRAINT "compartment_assignments_compartment_id_compartments_id_fk" FOREIGN KEY ("compartment_id") REFERENCES "public"."compartments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compartment_assignments" ADD CONSTRAINT "compartment_assignments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compartment_assignments" ADD CONSTRAINT "compartment_assignments_batch_id_delivery_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."delivery_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compartments" ADD CONSTRAINT "compartments_bank_id_locker_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."locker_banks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courier_communities" ADD CONSTRAINT "courier_communities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courier_communities" ADD CONSTRAINT "courier_communities_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_batches" ADD CONSTRAINT "delivery_batches_window_id_delivery_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."delivery_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_batches" ADD CONSTRAINT "delivery_batches_courier_id_users_id_fk" FOREIGN KEY ("courier_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_schedules" ADD CONSTRAINT "delivery_schedules_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_windows" ADD CONSTRAINT "delivery_windows_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_windows" ADD CONSTRAINT "delivery_windows_schedule_id_delivery_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."delivery_schedules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locker_banks" ADD CONSTRAINT "locker_banks_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locker_pickups" ADD CONSTRAINT "locker_pickups_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locker_pickups" ADD CONSTRAINT "locker_pickups_bank_id_locker_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."locker_banks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "compartment_assignments_live" ON "compartment_assignments" USING btree ("compartment_id") WHERE "compartment_assignments"."status" IN ('reserved', 'occupied');--> statement-breakpoint
CREATE INDEX "compartment_assignments_order" ON "compartment_assignments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "compartment_assignments_batch" ON "compartment_assignments" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "compartments_bank_label" ON "compartments" USING btree ("bank_id","label");--> statement-breakpoint
CREATE INDEX "compartments_bank_state" ON "compartments" USING btree ("bank_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_windows_schedule_cutoff" ON "delivery_windows" USING btree ("schedule_id","cutoff_at");--> statement-breakpoint
CREATE INDEX "delivery_windows_community_cutoff" ON "delivery_windows" USING btree ("community_id","cutoff_at");--> statement-breakpoint
CREATE UNIQUE INDEX "locker_pickups_live_code" ON "locker_pickups" USING btree ("bank_id","code") WHERE "locker_pickups"."used_at" IS NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_window_id_delivery_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."delivery_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_locker_bank_id_locker_banks_id_fk" FOREIGN KEY ("locker_bank_id") REFERENCES "public"."locker_banks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_window_bank" ON "orders" USING btree ("window_id","locker_bank_id");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_locker_has_consent" CHECK ("orders"."delivery_mode" <> 'locker' OR ("orders"."window_id" IS NOT NULL AND "orders"."locker_bank_id" IS NOT NULL AND "orders"."locker_consent_at" IS NOT NULL));