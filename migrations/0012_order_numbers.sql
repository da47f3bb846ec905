CREATE TABLE "order_number_counters" (
	"merchant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "order_number_counters_merchant_id_day_pk" PRIMARY KEY("merchant_id","day"),
	CONSTRAINT "order_number_counters_last" CHECK ("order_number_counters"."last" > 0)
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "number_day" date;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "number_seq" integer;--> statement-breakpoint
ALTER TABLE "order_number_counters" ADD CONSTRAINT "order_number_counters_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "orders_merchant_number" ON "orders" USING btree ("merchant_id","number_day","number_seq");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_number_pair" CHECK (("orders"."number_day" IS NULL) = ("orders"."number_seq" IS NULL));