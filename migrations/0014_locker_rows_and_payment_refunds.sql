CREATE TYPE "public"."payment_refund_status" AS ENUM('requested', 'processing', 'succeeded', 'failed', 'abnormal');--> statement-breakpoint
CREATE TABLE "payment_refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount_fen" integer NOT NULL,
	"reason" text NOT NULL,
	"status" "payment_refund_status" DEFAULT 'requested' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"provider_refund_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"succeeded_at" timestamp (3) with time zone,
	CONSTRAINT "payment_refunds_amount_positive" CHECK ("payment_refunds"."amount_fen" > 0)
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "reachable_compartments" boolean;--> statement-breakpoint
ALTER TABLE "compartments" ADD COLUMN "row" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "locker_banks" ADD COLUMN "reachable_from_row" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "locker_banks" ADD COLUMN "reachable_to_row" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "locker_orders" ADD COLUMN "prefer_reachable" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "prepay_id" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "prepared_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payer_openid" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "refunded_fen" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_refunds" ADD CONSTRAINT "payment_refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_refunds_payment" ON "payment_refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "payment_refunds_attention" ON "payment_refunds" USING btree ("status") WHERE "payment_refunds"."status" IN ('failed', 'abnormal');--> statement-breakpoint
ALTER TABLE "compartments" ADD CONSTRAINT "compartments_row" CHECK ("compartments"."row" >= 1);--> statement-breakpoint
ALTER TABLE "locker_banks" ADD CONSTRAINT "locker_banks_reachable_rows" CHECK ("locker_banks"."reachable_from_row" >= 1 AND "locker_banks"."reachable_to_row" >= "locker_banks"."reachable_from_row");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_refunded_within_amount" CHECK ("payments"."refunded_fen" >= 0 AND "payments"."refunded_fen" <= "payments"."amount_fen");