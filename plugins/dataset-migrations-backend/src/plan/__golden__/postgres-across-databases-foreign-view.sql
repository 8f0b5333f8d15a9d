-- postgres billing.invoiceLines -> postgres pg_archive:public.invoice_lines
-- copy: copy-pipe; readers of the old name: foreign-view; copy key: lineId

-- targetDdl
CREATE TABLE "public"."invoice_lines" (
  "line_id" bigint NOT NULL,
  "amount_cents" bigint NOT NULL,
  "created_at" timestamp NOT NULL,
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
       SUM(("lineId")) AS "s0",
       COUNT(CAST("amountCents" AS bigint)) AS "n1",
       SUM((CAST("amountCents" AS bigint))) AS "s1",
       COUNT("createdAt") AS "n2",
       SUM(FLOOR(EXTRACT(EPOCH FROM ("createdAt")))::bigint) AS "s2",
       COUNT("note") AS "n3",
       SUM(('x' || substr(md5(("note")::text), 1, 8))::bit(32)::bigint) AS "s3"
FROM "billing"."invoiceLines";
-- target side
SELECT COUNT(*) AS "row_count",
       COUNT("line_id") AS "n0",
       SUM(("line_id")) AS "s0",
       COUNT("amount_cents") AS "n1",
       SUM(("amount_cents")) AS "s1",
       COUNT("created_at") AS "n2",
       SUM(FLOOR(EXTRACT(EPOCH FROM ("created_at")))::bigint) AS "s2",
       COUNT("note") AS "n3",
       SUM(('x' || substr(md5(("note")::text), 1, 8))::bit(32)::bigint) AS "s3"
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
  "created_at" timestamp NOT NULL,
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
