CREATE TYPE "public"."merchant_category" AS ENUM('produce', 'meals', 'grocery', 'bakery', 'housekeeping', 'repairs');--> statement-breakpoint
CREATE TYPE "public"."merchant_status" AS ENUM('pending', 'open', 'paused', 'closed');--> statement-breakpoint
CREATE TYPE "public"."size_hint" AS ENUM('S', 'M', 'L');--> statement-breakpoint
CREATE TYPE "public"."temperature" AS ENUM('ambient', 'chilled', 'frozen');--> statement-breakpoint
CREATE TYPE "public"."cancel_reason" AS ENUM('timeout', 'resident', 'merchant');--> statement-breakpoint
CREATE TYPE "public"."delivery_mode" AS ENUM('shop_pickup', 'home', 'locker');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('created', 'paid', 'accepted', 'packed', 'in_batch', 'in_locker', 'picked_up', 'completed', 'cancelled', 'overdue', 'returned', 'refunded');--> statement-breakpoint
CREATE TYPE "public"."payment_status" AS ENUM('pending', 'succeeded', 'closed', 'refunding', 'refunded');--> statement-breakpoint
CREATE TYPE "public"."refund_status" AS ENUM('requested', 'approved', 'rejected');--> statement-breakpoint
CREATE TABLE "merchant_communities" (
	"merchant_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	CONSTRAINT "merchant_communities_community_id_merchant_id_pk" PRIMARY KEY("community_id","merchant_id")
);
--> statement-breakpoint
CREATE TABLE "merchants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"category" "merchant_category" NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"logo_url" text,
	"contact_phone" text NOT NULL,
	"address" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"hours" jsonb NOT NULL,
	"offers_shop_pickup" boolean DEFAULT true NOT NULL,
	"home_radius_m" integer,
	"home_fee_fen" integer DEFAULT 0 NOT NULL,
	"offers_locker" boolean DEFAULT false NOT NULL,
	"min_order_fen" integer DEFAULT 0 NOT NULL,
	"status" "merchant_status" DEFAULT 'pending' NOT NULL,
	"verified_by" uuid,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchants_owner_id_unique" UNIQUE("owner_id"),
	CONSTRAINT "merchants_fees_non_negative" CHECK ("merchants"."home_fee_fen" >= 0 AND "merchants"."min_order_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"unit" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"price_fen" integer NOT NULL,
	"original_price_fen" integer,
	"stock" integer NOT NULL,
	"per_order_limit" integer,
	"low_stock_threshold" integer DEFAULT 5 NOT NULL,
	"temperature" "temperature" DEFAULT 'ambient' NOT NULL,
	"size_hint" "size_hint" DEFAULT 'S' NOT NULL,
	"images" text[] DEFAULT '{}'::text[] NOT NULL,
	"on_shelf" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_stock_non_negative" CHECK ("products"."stock" >= 0),
	CONSTRAINT "products_price_positive" CHECK ("products"."price_fen" > 0),
	CONSTRAINT "products_limit_positive" CHECK ("products"."per_order_limit" IS NULL OR "products"."per_order_limit" > 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"order_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "order_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"event" text NOT NULL,
	"from_status" "order_status",
	"to_status" "order_status" NOT NULL,
	"actor_id" uuid,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"order_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"price_fen" integer NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "order_items_order_id_product_id_pk" PRIMARY KEY("order_id","product_id"),
	CONSTRAINT "order_items_quantity_positive" CHECK ("order_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"placed_by" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"status" "order_status" DEFAULT 'created' NOT NULL,
	"items_fen" integer NOT NULL,
	"delivery_fee_fen" integer DEFAULT 0 NOT NULL,
	"total_fen" integer NOT NULL,
	"delivery_mode" "delivery_mode" NOT NULL,
	"household_id" uuid,
	"note" text,
	"pickup_code" text NOT NULL,
	"cancel_reason" "cancel_reason",
	"pay_by" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_total" CHECK ("orders"."total_fen" = "orders"."items_fen" + "orders"."delivery_fee_fen" AND "orders"."items_fen" > 0),
	CONSTRAINT "orders_home_has_household" CHECK ("orders"."delivery_mode" <> 'home' OR "orders"."household_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"status" "payment_status" DEFAULT 'pending' NOT NULL,
	"provider_ref" text,
	"succeeded_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_positive" CHECK ("payments"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"status" "refund_status" DEFAULT 'requested' NOT NULL,
	"reason" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"amount_fen" integer NOT NULL,
	"merchant_note" text,
	"auto_approved" boolean DEFAULT false NOT NULL,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "compounds" ADD COLUMN "lat" double precision;--> statement-breakpoint
ALTER TABLE "compounds" ADD COLUMN "lng" double precision;--> statement-breakpoint
ALTER TABLE "merchant_communities" ADD CONSTRAINT "merchant_communities_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchant_communities" ADD CONSTRAINT "merchant_communities_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchants" ADD CONSTRAINT "merchants_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchants" ADD CONSTRAINT "merchants_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_placed_by_users_id_fk" FOREIGN KEY ("placed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "merchants_status" ON "merchants" USING btree ("status");--> statement-breakpoint
CREATE INDEX "products_merchant_sort" ON "products" USING btree ("merchant_id","sort_order","id");--> statement-breakpoint
CREATE INDEX "order_events_order" ON "order_events" USING btree ("order_id","created_at");--> statement-breakpoint
CREATE INDEX "order_items_product" ON "order_items" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "orders_user_created" ON "orders" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_merchant_status" ON "orders" USING btree ("merchant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "orders_merchant_paid" ON "orders" USING btree ("merchant_id","paid_at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_live_pickup_code" ON "orders" USING btree ("merchant_id","pickup_code") WHERE "orders"."status" IN ('created', 'paid', 'accepted', 'packed');--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_live_per_order" ON "payments" USING btree ("order_id") WHERE "payments"."status" IN ('pending', 'succeeded', 'refunding');--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_one_open_per_order" ON "refunds" USING btree ("order_id") WHERE "refunds"."status" IN ('requested', 'approved');