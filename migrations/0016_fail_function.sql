-- linli_fail(reason, detail) raises SQLSTATE LN001 with `reason` as its message: a statement that
-- must not commit unless a condition holds (checkout's one-statement write: the key was not
-- claimed before, every line found its stock) fails itself from a CASE, which rolls back all of
-- its data-modifying parts at once. The app reads the reason back (bff/src/db/fail.ts).
CREATE FUNCTION linli_fail(reason text, detail text DEFAULT NULL) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'LN001', MESSAGE = reason, DETAIL = coalesce(detail, '');
END $$;
