ALTER TYPE "public"."upload_purpose" ADD VALUE 'product';--> statement-breakpoint
ALTER TABLE "uploads" DROP CONSTRAINT "uploads_visibility_of_purpose";--> statement-breakpoint
-- custom: the purpose is compared as text, since the enum value just added cannot be used in the
-- migration's own transaction (as in 0009); it says the same as the schema's CASE.
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_visibility_of_purpose" CHECK ("uploads"."visibility" = CASE "purpose"::text WHEN 'refund' THEN 'private'::upload_visibility WHEN 'post' THEN 'public'::upload_visibility WHEN 'care_visit' THEN 'private'::upload_visibility WHEN 'notice' THEN 'public'::upload_visibility WHEN 'request' THEN 'private'::upload_visibility WHEN 'product' THEN 'public'::upload_visibility END);