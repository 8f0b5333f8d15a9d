-- postgres billing.invoiceLines -> postgres pg_archive:public.invoice_lines
-- copy: copy-pipe; readers of the old name: foreign-view; copy key: lineId

-- targetDdl
CREATE TABLE "public"."invoice_lines" (
  "line_id" bigint NOT NULL,
  "amount_cents" bigint NOT NULL,
  "created_at" timestamp without time zone NOT NULL,
  "note" text,
  PRIMARY KEY ("line_id")
);

-- copy
COPY (SELECT "lineId", CAST("amountCents" AS bigint), "createdAt", "note"
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
SELECT "lineId" AS "c0", CAST("amountCents" AS bigint) AS "c1", "createdAt" AS "c2", "note" AS "c3", "lineId" AS "dm_k0"
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
FOR EACH STATEMENT EXECUTE FUNCTION "billing"."dm_refuse_writes"('Writes paused for the cutover: invoiceLines is moving to pg_archive:public.invoice_lines; retry in a minute');

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
CREATE VIEW "billing"."invoiceLines" AS
SELECT "line_id" AS "lineId",
       CAST("amount_cents" AS integer) AS "amountCents",
       "created_at" AS "createdAt",
       "note" AS "note"
FROM "billing"."invoiceLines__dm_foreign";

-- validation
-- source side
SELECT COUNT(*) AS "row_count",
       COUNT("lineId") AS "n0",
       COUNT(CAST("amountCents" AS bigint)) AS "n1",
       COUNT("createdAt") AS "n2",
       COUNT("note") AS "n3",
       SUM(hashtext((((("lineId"))::text || '|' || ((CAST("amountCents" AS bigint)))::text || '|' || (FLOOR(EXTRACT(EPOCH FROM ("createdAt")))::bigint)::text || '|' || COALESCE((char_length(("note")::text)::text || ':' || ("note")::text), 'n'))) COLLATE "C")) AS "row_checksum"
FROM "billing"."invoiceLines";
-- target side
SELECT COUNT(*) AS "row_count",
       COUNT("line_id") AS "n0",
       COUNT("amount_cents") AS "n1",
       COUNT("created_at") AS "n2",
       COUNT("note") AS "n3",
       SUM(hashtext((((("line_id"))::text || '|' || (("amount_cents"))::text || '|' || (FLOOR(EXTRACT(EPOCH FROM ("created_at")))::bigint)::text || '|' || COALESCE((char_length(("note")::text)::text || ':' || ("note")::text), 'n'))) COLLATE "C")) AS "row_checksum"
FROM "public"."invoice_lines";

-- rollback
DROP TABLE IF EXISTS "public"."invoice_lines";

-- cutover
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
-- At cutover, created (or its options brought up to date) from datasetMigrations.compatibility.postgresFdw and the target connection
CREATE SERVER IF NOT EXISTS "dm_fdw_pg_archive" FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '<from app-config>', port '<from app-config>', dbname '<from app-config>');
-- At cutover, replaced with the configured user and password
CREATE USER MAPPING IF NOT EXISTS FOR CURRENT_USER SERVER "dm_fdw_pg_archive"
  OPTIONS (user '<from app-config>', password '<redacted>');
ALTER TABLE "billing"."invoiceLines" RENAME TO "invoiceLines__dm_backup";
CREATE FOREIGN TABLE "billing"."invoiceLines__dm_foreign" (
  "line_id" bigint NOT NULL,
  "amount_cents" bigint NOT NULL,
  "created_at" timestamp without time zone NOT NULL,
  "note" text
) SERVER "dm_fdw_pg_archive"
OPTIONS ("schema_name" 'public', "table_name" 'invoice_lines');
CREATE VIEW "billing"."invoiceLines" AS
SELECT "line_id" AS "lineId",
       CAST("amount_cents" AS integer) AS "amountCents",
       "created_at" AS "createdAt",
       "note" AS "note"
FROM "billing"."invoiceLines__dm_foreign";

-- cutoverRollback
DROP VIEW IF EXISTS "billing"."invoiceLines";
DROP FOREIGN TABLE IF EXISTS "billing"."invoiceLines__dm_foreign";
ALTER TABLE "billing"."invoiceLines__dm_backup" RENAME TO "invoiceLines";
DO $dm$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_foreign_table t JOIN pg_foreign_server s ON s.oid = t.ftserver
    WHERE s.srvname = 'dm_fdw_pg_archive'
  ) THEN
    DROP USER MAPPING IF EXISTS FOR CURRENT_USER SERVER "dm_fdw_pg_archive";
    IF NOT EXISTS (SELECT 1 FROM pg_user_mappings WHERE srvname = 'dm_fdw_pg_archive')
       AND EXISTS (
         SELECT 1 FROM pg_foreign_server
         WHERE srvname = 'dm_fdw_pg_archive' AND pg_has_role(srvowner, 'MEMBER')
       ) THEN
      DROP SERVER "dm_fdw_pg_archive";
    END IF;
  END IF;
END
$dm$;

-- compatibilityCapture
DROP FUNCTION IF EXISTS "public"."dm_cap_invoice_lines"() CASCADE;
DROP TABLE IF EXISTS "public"."dm_cw_invoice_lines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"public"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"public"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "public"."dm_refuse_writes"();
  END IF;
END
$dm$;
CREATE TABLE "public"."dm_cw_invoice_lines" ("dm_seq" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "dm_k0" bigint);
CREATE OR REPLACE FUNCTION "public"."dm_cap_invoice_lines"() RETURNS trigger LANGUAGE plpgsql AS $dm_capture$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION '%', 'TRUNCATE of invoice_lines is refused while it moves: catch-up cannot replay it; delete the rows instead' USING ERRCODE = 'object_in_use';
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "public"."dm_cw_invoice_lines" ("dm_k0") VALUES (NEW."line_id");
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "public"."dm_cw_invoice_lines" ("dm_k0") VALUES (OLD."line_id");
  ELSE
    INSERT INTO "public"."dm_cw_invoice_lines" ("dm_k0") VALUES (OLD."line_id");
    IF (OLD."line_id") IS DISTINCT FROM (NEW."line_id") THEN
      INSERT INTO "public"."dm_cw_invoice_lines" ("dm_k0") VALUES (NEW."line_id");
    END IF;
  END IF;
  RETURN NULL;
END
$dm_capture$;
CREATE TRIGGER "dm_cap_invoice_lines" AFTER INSERT OR UPDATE OR DELETE ON "public"."invoice_lines"
FOR EACH ROW EXECUTE FUNCTION "public"."dm_cap_invoice_lines"();
CREATE TRIGGER "dm_cap_invoice_lines_truncate" BEFORE TRUNCATE ON "public"."invoice_lines"
FOR EACH STATEMENT EXECUTE FUNCTION "public"."dm_cap_invoice_lines"();

-- compatibilityCaptureRemoval
DROP FUNCTION IF EXISTS "public"."dm_cap_invoice_lines"() CASCADE;
DROP TABLE IF EXISTS "public"."dm_cw_invoice_lines";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"public"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"public"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "public"."dm_refuse_writes"();
  END IF;
END
$dm$;

-- cleanup
DROP VIEW IF EXISTS "billing"."invoiceLines";
DROP FOREIGN TABLE IF EXISTS "billing"."invoiceLines__dm_foreign";
DO $dm$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_foreign_table t JOIN pg_foreign_server s ON s.oid = t.ftserver
    WHERE s.srvname = 'dm_fdw_pg_archive'
  ) THEN
    DROP USER MAPPING IF EXISTS FOR CURRENT_USER SERVER "dm_fdw_pg_archive";
    IF NOT EXISTS (SELECT 1 FROM pg_user_mappings WHERE srvname = 'dm_fdw_pg_archive')
       AND EXISTS (
         SELECT 1 FROM pg_foreign_server
         WHERE srvname = 'dm_fdw_pg_archive' AND pg_has_role(srvowner, 'MEMBER')
       ) THEN
      DROP SERVER "dm_fdw_pg_archive";
    END IF;
  END IF;
END
$dm$;
DROP TABLE IF EXISTS "billing"."invoiceLines__dm_backup";
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
