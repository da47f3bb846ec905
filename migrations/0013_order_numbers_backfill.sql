-- Orders placed before short numbers existed get theirs: the shop's Shanghai day of the order and
-- its place among that day's orders; the counters carry on from there.
WITH numbered AS (
	SELECT "id",
		("created_at" AT TIME ZONE 'Asia/Shanghai')::date AS "day",
		row_number() OVER (
			PARTITION BY "merchant_id", ("created_at" AT TIME ZONE 'Asia/Shanghai')::date
			ORDER BY "created_at", "id"
		) AS "seq"
	FROM "orders"
	WHERE "number_day" IS NULL
)
UPDATE "orders" o SET "number_day" = n."day", "number_seq" = n."seq"
FROM numbered n WHERE o."id" = n."id";
--> statement-breakpoint
INSERT INTO "order_number_counters" ("merchant_id", "day", "last")
SELECT "merchant_id", "number_day", max("number_seq") FROM "orders"
WHERE "number_day" IS NOT NULL
GROUP BY "merchant_id", "number_day"
ON CONFLICT ("merchant_id", "day") DO UPDATE SET "last" = GREATEST("order_number_counters"."last", EXCLUDED."last");
