-- postgres billing.invoiceLines -> postgres pg:public.invoice_lines
-- copy: copy-pipe; readers of the old name: frozen-source; copy key: lineId
-- finding warning no-compatibility-view: No view can stand at the old name: postgres connection "pg_archive" cannot read pg:public.invoice_lines (another database). After cutover the old table stays readable but read-only until cleanup; its consumers must repoint to pg:public.invoice_lines before finalize. To keep a view at the old name instead, an admin can enable postgres_fdw for the pair: add { source: pg_archive, target: pg } under datasetMigrations.compatibility.postgresFdw.

-- targetDdl
CREATE TABLE "public"."invoice_lines" (
  "line_id" bigint NOT NULL,
  "amount_cents" integer NOT NULL,
  "created_at" timestamp without time zone NOT NULL,
  "note" text,
  PRIMARY KEY ("line_id")
);

-- copy
COPY (SELECT "lineId", "amountCents", "createdAt", "note"
FROM "billing"."invoiceLines"
WHERE ("lineId") > (:after_0)
  AND ("lineId") <= (:up_to_0)) TO STDOUT;

-- copyInto
COPY "public"."invoice_lines" ("line_id", "amount_cents", "created_at", "note") FROM STDIN;

-- capture
CREATE TABLE "billing"."dm_log_invoiceLines" ("dm_seq" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "dm_k0" bigint);
CREATE OR REPLACE FUNCTION "billing"."dm_cap_invoiceLines"() RETURNS trigger LANGUAGE plpgsql AS $dm_capture$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION '%', 'TRUNCATE of invoiceLines is refused while it moves: catch-up cannot replay it; delete the rows instead' USING ERRCODE = 'object_in_use';
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "billing"."dm_log_invoiceLines" ("dm_k0") VALUES (NEW."lineId");
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "billing"."dm_log_invoiceLines" ("dm_k0") VALUES (OLD."lineId");
  ELSE
    INSERT INTO "billing"."dm_log_invoiceLines" ("dm_k0") VALUES (OLD."lineId");
    IF (OLD."lineId") IS DISTINCT FROM (NEW."lineId") THEN
      INSERT INTO "billing"."dm_log_invoiceLines" ("dm_k0") VALUES (NEW."lineId");
    END IF;
  END IF;
  RETURN NULL;
END
$dm_capture$;
CREATE TRIGGER "dm_cap_invoiceLines" AFTER INSERT OR UPDATE OR DELETE ON "billing"."invoiceLines"
FOR EACH ROW EXECUTE FUNCTION "billing"."dm_cap_invoiceLines"();
CREATE TRIGGER "dm_cap_invoiceLines_truncate" BEFORE TRUNCATE ON "billing"."invoiceLines"
FOR EACH STATEMENT EXECUTE FUNCTION "billing"."dm_cap_invoiceLines"();

-- catchUp
SELECT "lineId" AS "c0", "amountCents" AS "c1", "createdAt" AS "c2", "note" AS "c3", "lineId" AS "dm_k0"
FROM "billing"."invoiceLines"
WHERE "lineId" IN (SELECT "dm_k0" FROM "billing"."dm_log_invoiceLines" WHERE "dm_seq" IN (:dm_seqs));

-- quiesce
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF to_regprocedure('"billing"."dm_refuse_writes"()') IS NULL THEN
    BEGIN
      CREATE FUNCTION "billing"."dm_refuse_writes"() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'read_only_sql_transaction';
      END
      $fn$;
    EXCEPTION WHEN duplicate_function OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$dm$;
CREATE TRIGGER "dm_ro_invoiceLines" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "billing"."invoiceLines"
FOR EACH STATEMENT EXECUTE FUNCTION "billing"."dm_refuse_writes"('Writes to invoiceLines are paused for a migration; retry shortly');

-- quiesceRollback
DROP TRIGGER IF EXISTS "dm_ro_invoiceLines" ON "billing"."invoiceLines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"billing"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "billing"."dm_refuse_writes"();
  END IF;
END
$dm$;

-- captureRemoval
DROP FUNCTION IF EXISTS "billing"."dm_cap_invoiceLines"() CASCADE;
DROP TABLE IF EXISTS "billing"."dm_log_invoiceLines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"billing"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "billing"."dm_refuse_writes"();
  END IF;
END
$dm$;
DROP TRIGGER IF EXISTS "dm_ro_invoiceLines" ON "billing"."invoiceLines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"billing"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "billing"."dm_refuse_writes"();
  END IF;
END
$dm$;

-- compatibilityView

-- validation
-- source side
SELECT COUNT(*) AS "row_count",
       COUNT("lineId") AS "n0",
       COUNT("amountCents") AS "n1",
       COUNT("createdAt") AS "n2",
       COUNT("note") AS "n3",
       SUM(hashint8(COALESCE((hashint8(("lineId")::bigint))::bigint, 4294967296) * 524289 + COALESCE((hashint4(("amountCents")::integer))::bigint, 4294967296) * 524291 + COALESCE((timestamp_hash(("createdAt")::timestamp))::bigint, 4294967296) * 524293 + COALESCE((hashtext(("note")::text COLLATE "C"))::bigint, 4294967296) * 524295)) AS "row_checksum"
FROM "billing"."invoiceLines";
-- target side
SELECT COUNT(*) AS "row_count",
       COUNT("line_id") AS "n0",
       COUNT("amount_cents") AS "n1",
       COUNT("created_at") AS "n2",
       COUNT("note") AS "n3",
       SUM(hashint8(COALESCE((hashint8(("line_id")::bigint))::bigint, 4294967296) * 524289 + COALESCE((hashint4(("amount_cents")::integer))::bigint, 4294967296) * 524291 + COALESCE((timestamp_hash(("created_at")::timestamp))::bigint, 4294967296) * 524293 + COALESCE((hashtext(("note")::text COLLATE "C"))::bigint, 4294967296) * 524295)) AS "row_checksum"
FROM "public"."invoice_lines";

-- rollback
DROP TABLE IF EXISTS "public"."invoice_lines";

-- cutover
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF to_regprocedure('"billing"."dm_refuse_writes"()') IS NULL THEN
    BEGIN
      CREATE FUNCTION "billing"."dm_refuse_writes"() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'read_only_sql_transaction';
      END
      $fn$;
    EXCEPTION WHEN duplicate_function OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$dm$;
CREATE TRIGGER "dm_mv_invoiceLines" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "billing"."invoiceLines"
FOR EACH STATEMENT EXECUTE FUNCTION "billing"."dm_refuse_writes"('Read-only until cleanup: invoiceLines moved to pg:public.invoice_lines; write there');
DROP TRIGGER IF EXISTS "dm_ro_invoiceLines" ON "billing"."invoiceLines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"billing"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "billing"."dm_refuse_writes"();
  END IF;
END
$dm$;

-- cutoverRollback
DROP TRIGGER IF EXISTS "dm_mv_invoiceLines" ON "billing"."invoiceLines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"billing"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "billing"."dm_refuse_writes"();
  END IF;
END
$dm$;
DROP TRIGGER IF EXISTS "dm_ro_invoiceLines" ON "billing"."invoiceLines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"billing"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "billing"."dm_refuse_writes"();
  END IF;
END
$dm$;

-- cleanup
DROP TABLE IF EXISTS "billing"."invoiceLines";
DROP TRIGGER IF EXISTS "dm_mv_invoiceLines" ON "billing"."invoiceLines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"billing"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "billing"."dm_refuse_writes"();
  END IF;
END
$dm$;
DROP TRIGGER IF EXISTS "dm_ro_invoiceLines" ON "billing"."invoiceLines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"billing"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "billing"."dm_refuse_writes"();
  END IF;
END
$dm$;
DROP FUNCTION IF EXISTS "billing"."dm_cap_invoiceLines"() CASCADE;
DROP TABLE IF EXISTS "billing"."dm_log_invoiceLines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"billing"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"billing"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "billing"."dm_refuse_writes"();
  END IF;
END
$dm$;
