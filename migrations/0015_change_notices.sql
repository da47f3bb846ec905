-- Change notices for the BFF's in-process caches (bff/src/db/change-feed.ts). pg_notify is
-- transactional: the notice goes out when the change commits and never for a rollback, whichever
-- code path made the change. Payloads: 'u:<user id>' (that person's roles changed), 's:<session
-- id>' (a sign-in family was revoked or removed), '*' (everything: a TRUNCATE). The catalog channel
-- carries no payload: any change to what the catalog shows flushes every cached page. Stock is
-- left out on purpose: pages live at most a second, and checkout always reads the real row.
CREATE FUNCTION linli_notify_roles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM pg_notify('linli_auth', 'u:' || OLD.user_id::text); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM pg_notify('linli_auth', 'u:' || NEW.user_id::text); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION linli_notify_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM pg_notify('linli_auth', 's:' || OLD.family_id::text);
  ELSE PERFORM pg_notify('linli_auth', 's:' || NEW.family_id::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION linli_notify_everything() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_ARGV[0], '*');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION linli_notify_catalog() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('linli_catalog', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER user_roles_notify AFTER INSERT OR UPDATE OR DELETE ON user_roles
  FOR EACH ROW EXECUTE FUNCTION linli_notify_roles();
--> statement-breakpoint
CREATE TRIGGER user_roles_notify_truncate AFTER TRUNCATE ON user_roles
  FOR EACH STATEMENT EXECUTE FUNCTION linli_notify_everything('linli_auth');
--> statement-breakpoint
CREATE TRIGGER refresh_tokens_notify_revoked AFTER UPDATE OF revoked_at ON refresh_tokens
  FOR EACH ROW WHEN (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) EXECUTE FUNCTION linli_notify_session();
--> statement-breakpoint
CREATE TRIGGER refresh_tokens_notify_deleted AFTER DELETE ON refresh_tokens
  FOR EACH ROW EXECUTE FUNCTION linli_notify_session();
--> statement-breakpoint
CREATE TRIGGER refresh_tokens_notify_truncate AFTER TRUNCATE ON refresh_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION linli_notify_everything('linli_auth');
--> statement-breakpoint
CREATE TRIGGER products_notify_catalog AFTER INSERT OR DELETE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION linli_notify_catalog();
--> statement-breakpoint
CREATE TRIGGER products_notify_catalog_update AFTER UPDATE ON products
  FOR EACH ROW WHEN ((to_jsonb(OLD) - 'stock' - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'stock' - 'updated_at'))
  EXECUTE FUNCTION linli_notify_catalog();
--> statement-breakpoint
CREATE TRIGGER merchants_notify_catalog AFTER INSERT OR UPDATE OR DELETE ON merchants
  FOR EACH STATEMENT EXECUTE FUNCTION linli_notify_catalog();
--> statement-breakpoint
CREATE TRIGGER merchant_communities_notify_catalog AFTER INSERT OR UPDATE OR DELETE ON merchant_communities
  FOR EACH STATEMENT EXECUTE FUNCTION linli_notify_catalog();
--> statement-breakpoint
CREATE TRIGGER uploads_notify_catalog AFTER UPDATE ON uploads
  FOR EACH ROW WHEN (OLD.attached_type = 'product' OR NEW.attached_type = 'product')
  EXECUTE FUNCTION linli_notify_catalog();
--> statement-breakpoint
CREATE TRIGGER uploads_notify_catalog_deleted AFTER DELETE ON uploads
  FOR EACH ROW WHEN (OLD.attached_type = 'product') EXECUTE FUNCTION linli_notify_catalog();
--> statement-breakpoint
CREATE TRIGGER catalog_notify_truncate AFTER TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION linli_notify_everything('linli_catalog');
--> statement-breakpoint
CREATE TRIGGER merchants_notify_truncate AFTER TRUNCATE ON merchants
  FOR EACH STATEMENT EXECUTE FUNCTION linli_notify_everything('linli_catalog');
