ALTER TABLE "care_bookings" ADD COLUMN "pay_by" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "care_settings" ADD COLUMN "pay_within_min" integer DEFAULT 30 NOT NULL;