-- postgres billing.invoiceLines -> postgres pg:billing.invoice_lines
-- copy: push-down; readers of the old name: view; copy key: lineId
-- finding warning incoming-foreign-key: Foreign key refunds_line of billing.refunds (lineId) references billing.invoiceLines (lineId): at cutover it is re-pointed to billing.invoice_lines (line_id), keeping its name and actions: billing.refunds is altered, under a short lock. Rollback points it back to billing.invoiceLines; after finalize it references only the new table.
-- finding warning incoming-foreign-key: Foreign key notes_line of audit.lineNotes (line, note) references billing.invoiceLines (lineId, note): at cutover it is re-pointed to billing.invoice_lines (line_id, note), keeping its name and actions: audit.lineNotes is altered, under a short lock. Rollback points it back to billing.invoiceLines; after finalize it references only the new table.

-- targetDdl
CREATE TABLE "billing"."invoice_lines" (
  "line_id" bigint NOT NULL,
  "amount_cents" integer NOT NULL,
  "created_at" timestamp without time zone NOT NULL,
  "note" text,
  PRIMARY KEY ("line_id")
);
CREATE UNIQUE INDEX "invoice_lines_line_id_note_key" ON "billing"."invoice_lines" ("line_id", "note");

-- copy
INSERT INTO "billing"."invoice_lines" ("line_id", "amount_cents", "created_at", "note")
SELECT "lineId", "amountCents", "createdAt", "note"
FROM "billing"."invoiceLines"
ORDER BY "lineId";

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
DELETE FROM "billing"."invoice_lines"
WHERE "line_id" IN (SELECT "dm_k0" FROM "billing"."dm_log_invoiceLines" WHERE "dm_seq" IN (:dm_seqs));
INSERT INTO "billing"."invoice_lines" ("line_id", "amount_cents", "created_at", "note")
SELECT "lineId", "amountCents", "createdAt", "note"
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
FOR EACH STATEMENT EXECUTE FUNCTION "billing"."dm_refuse_writes"('Writes paused for the cutover: invoiceLines is moving to pg:billing.invoice_lines; retry in a minute');

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
       "amount_cents" AS "amountCents",
       "created_at" AS "createdAt",
       "note" AS "note"
FROM "billing"."invoice_lines";

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
FROM "billing"."invoice_lines";

-- rollback
DROP TABLE IF EXISTS "billing"."invoice_lines";

-- cutover
ALTER TABLE "billing"."invoiceLines" RENAME TO "invoiceLines__dm_backup";
CREATE VIEW "billing"."invoiceLines" AS
SELECT "line_id" AS "lineId",
       "amount_cents" AS "amountCents",
       "created_at" AS "createdAt",
       "note" AS "note"
FROM "billing"."invoice_lines";

-- cutoverRollback
DROP VIEW IF EXISTS "billing"."invoiceLines";
ALTER TABLE "billing"."invoiceLines__dm_backup" RENAME TO "invoiceLines";

-- compatibilityCapture
DROP FUNCTION IF EXISTS "billing"."dm_cap_invoice_lines"() CASCADE;
DROP TABLE IF EXISTS "billing"."dm_cw_invoice_lines";
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
CREATE TABLE "billing"."dm_cw_invoice_lines" ("dm_seq" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "dm_k0" bigint);
CREATE OR REPLACE FUNCTION "billing"."dm_cap_invoice_lines"() RETURNS trigger LANGUAGE plpgsql AS $dm_capture$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION '%', 'TRUNCATE of invoice_lines is refused while it moves: catch-up cannot replay it; delete the rows instead' USING ERRCODE = 'object_in_use';
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "billing"."dm_cw_invoice_lines" ("dm_k0") VALUES (NEW."line_id");
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "billing"."dm_cw_invoice_lines" ("dm_k0") VALUES (OLD."line_id");
  ELSE
    INSERT INTO "billing"."dm_cw_invoice_lines" ("dm_k0") VALUES (OLD."line_id");
    IF (OLD."line_id") IS DISTINCT FROM (NEW."line_id") THEN
      INSERT INTO "billing"."dm_cw_invoice_lines" ("dm_k0") VALUES (NEW."line_id");
    END IF;
  END IF;
  RETURN NULL;
END
$dm_capture$;
CREATE TRIGGER "dm_cap_invoice_lines" AFTER INSERT OR UPDATE OR DELETE ON "billing"."invoice_lines"
FOR EACH ROW EXECUTE FUNCTION "billing"."dm_cap_invoice_lines"();
CREATE TRIGGER "dm_cap_invoice_lines_truncate" BEFORE TRUNCATE ON "billing"."invoice_lines"
FOR EACH STATEMENT EXECUTE FUNCTION "billing"."dm_cap_invoice_lines"();

-- compatibilityCaptureRemoval
DROP FUNCTION IF EXISTS "billing"."dm_cap_invoice_lines"() CASCADE;
DROP TABLE IF EXISTS "billing"."dm_cw_invoice_lines";
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

-- incomingForeignKeys
ALTER TABLE "billing"."refunds" DROP CONSTRAINT "refunds_line";
ALTER TABLE "billing"."refunds" ADD CONSTRAINT "refunds_line" FOREIGN KEY ("lineId") REFERENCES "billing"."invoice_lines" ("line_id") ON DELETE CASCADE ON UPDATE NO ACTION NOT VALID;
ALTER TABLE "audit"."lineNotes" DROP CONSTRAINT "notes_line";
ALTER TABLE "audit"."lineNotes" ADD CONSTRAINT "notes_line" FOREIGN KEY ("line", "note") REFERENCES "billing"."invoice_lines" ("line_id", "note") ON DELETE SET NULL ON UPDATE RESTRICT NOT VALID;

-- incomingForeignKeysRollback
ALTER TABLE "billing"."refunds" DROP CONSTRAINT "refunds_line";
ALTER TABLE "billing"."refunds" ADD CONSTRAINT "refunds_line" FOREIGN KEY ("lineId") REFERENCES "billing"."invoiceLines" ("lineId") ON DELETE CASCADE ON UPDATE NO ACTION NOT VALID;
ALTER TABLE "audit"."lineNotes" DROP CONSTRAINT "notes_line";
ALTER TABLE "audit"."lineNotes" ADD CONSTRAINT "notes_line" FOREIGN KEY ("line", "note") REFERENCES "billing"."invoiceLines" ("lineId", "note") ON DELETE SET NULL ON UPDATE RESTRICT NOT VALID;

-- incomingForeignKeysValidation
ALTER TABLE "billing"."refunds" VALIDATE CONSTRAINT "refunds_line";
ALTER TABLE "audit"."lineNotes" VALIDATE CONSTRAINT "notes_line";

-- cleanup
DROP VIEW IF EXISTS "billing"."invoiceLines";
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
