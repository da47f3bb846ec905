DROP INDEX "proxy_links_live_unique";--> statement-breakpoint
ALTER TABLE "proxy_links" ALTER COLUMN "elder_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "proxy_links" ADD COLUMN "elder_phone" text;--> statement-breakpoint
-- Existing links were all made to a registered elder: their number is the elder's.
UPDATE "proxy_links" SET "elder_phone" = "users"."phone" FROM "users" WHERE "users"."id" = "proxy_links"."elder_id";--> statement-breakpoint
UPDATE "proxy_links" SET "elder_phone" = '' WHERE "elder_phone" IS NULL;--> statement-breakpoint
ALTER TABLE "proxy_links" ALTER COLUMN "elder_phone" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "proxy_links_elder" ON "proxy_links" USING btree ("elder_id");--> statement-breakpoint
CREATE UNIQUE INDEX "proxy_links_live_unique" ON "proxy_links" USING btree ("elder_phone","proxy_id") WHERE "proxy_links"."consent_status" <> 'revoked';
