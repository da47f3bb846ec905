CREATE TABLE "locker_orders" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"window_id" uuid NOT NULL,
	"bank_id" uuid NOT NULL,
	"consent_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_locker_has_consent";--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_window_id_delivery_windows_id_fk";
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_locker_bank_id_locker_banks_id_fk";
--> statement-breakpoint
DROP INDEX "orders_window_bank";--> statement-breakpoint
ALTER TABLE "locker_orders" ADD CONSTRAINT "locker_orders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locker_orders" ADD CONSTRAINT "locker_orders_window_id_delivery_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."delivery_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locker_orders" ADD CONSTRAINT "locker_orders_bank_id_locker_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."locker_banks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "locker_orders_window_bank" ON "locker_orders" USING btree ("window_id","bank_id");--> statement-breakpoint
-- The locker facts move off orders into the lockers-owned table, row for row.
INSERT INTO "locker_orders" ("order_id", "window_id", "bank_id", "consent_at", "created_at")
SELECT "id", "window_id", "locker_bank_id", coalesce("locker_consent_at", "created_at"), "created_at"
FROM "orders" WHERE "window_id" IS NOT NULL AND "locker_bank_id" IS NOT NULL;--> statement-breakpoint
-- The WeChat sender's job was renamed (one naming style for job names); rows not yet relayed follow.
UPDATE "outbox" SET "job_name" = 'notification.sendWechat' WHERE "job_name" = 'wechat-send' AND "sent_at" IS NULL;--> statement-breakpoint
ALTER TABLE "orders" DROP COLUMN "window_id";--> statement-breakpoint
ALTER TABLE "orders" DROP COLUMN "locker_bank_id";--> statement-breakpoint
ALTER TABLE "orders" DROP COLUMN "locker_consent_at";