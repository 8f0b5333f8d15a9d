-- postgres sales.order -> mysql maria:shop.sales_order
-- copy: streamed; readers of the old name: frozen-source; copy key: group, lineNo
-- finding warning lossy-type (placedAt): MySQL/MariaDB have no time-zone-aware timestamp: values are stored as UTC DATETIME(6) and lose their zone
-- finding warning constraint-not-carried: CHECK constraint order_gift_check of sales.order (("isGift" OR ("Menge€" > (0)::numeric))) is not carried to sales_order: its condition is not one the planner can translate from postgres to mysql with certainty (only comparisons of columns with numbers, IS NULL, IN, BETWEEN, AND, OR, NOT). The new table accepts rows it refused; add an equivalent CHECK on sales_order after the migration if writers rely on it.
-- finding warning constraint-not-carried: Foreign key order_group_fkey of sales.order (group, lineNo) referencing sales.orderGroups (group, lineNo) is not carried to sales_order: the referenced table stays in the source database, out of reach of a foreign key on the target mysql database. Referential integrity of these columns is no longer enforced by the database: writers of sales_order must keep it themselves.
-- finding warning no-compatibility-view: No view can stand at the old name: postgres connection "pg" cannot read maria:shop.sales_order (another engine). After cutover the old table stays readable but read-only until cleanup; its consumers must repoint to maria:shop.sales_order before finalize.

-- targetDdl
CREATE TABLE `shop`.`sales_order` (
  `group` INT NOT NULL,
  `line_no` SMALLINT NOT NULL,
  `placed_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  `is_gift` TINYINT(1) NOT NULL DEFAULT 0,
  `menge€` DECIMAL(10,3),
  PRIMARY KEY (`group`, `line_no`),
  CONSTRAINT `sales_order_lineNo_check` CHECK (`line_no` > 0)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- copy
SELECT "group" AS "c0", "lineNo" AS "c1", "placedAt" AS "c2", "isGift" AS "c3", "Menge€" AS "c4", "group" AS "dm_k0", "lineNo" AS "dm_k1"
FROM "sales"."order"
ORDER BY "group", "lineNo"
LIMIT 5000;

-- copyNext
SELECT "group" AS "c0", "lineNo" AS "c1", "placedAt" AS "c2", "isGift" AS "c3", "Menge€" AS "c4", "group" AS "dm_k0", "lineNo" AS "dm_k1"
FROM "sales"."order"
WHERE ("group", "lineNo") > (:after_0, :after_1)
ORDER BY "group", "lineNo"
LIMIT 5000;

-- capture
CREATE TABLE "sales"."dm_log_order" ("dm_seq" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "dm_k0" integer, "dm_k1" smallint);
CREATE OR REPLACE FUNCTION "sales"."dm_cap_order"() RETURNS trigger LANGUAGE plpgsql AS $dm_capture$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION '%', 'TRUNCATE of order is refused while it moves: catch-up cannot replay it; delete the rows instead' USING ERRCODE = 'object_in_use';
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "sales"."dm_log_order" ("dm_k0", "dm_k1") VALUES (NEW."group", NEW."lineNo");
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "sales"."dm_log_order" ("dm_k0", "dm_k1") VALUES (OLD."group", OLD."lineNo");
  ELSE
    INSERT INTO "sales"."dm_log_order" ("dm_k0", "dm_k1") VALUES (OLD."group", OLD."lineNo");
    IF (OLD."group", OLD."lineNo") IS DISTINCT FROM (NEW."group", NEW."lineNo") THEN
      INSERT INTO "sales"."dm_log_order" ("dm_k0", "dm_k1") VALUES (NEW."group", NEW."lineNo");
    END IF;
  END IF;
  RETURN NULL;
END
$dm_capture$;
CREATE TRIGGER "dm_cap_order" AFTER INSERT OR UPDATE OR DELETE ON "sales"."order"
FOR EACH ROW EXECUTE FUNCTION "sales"."dm_cap_order"();
CREATE TRIGGER "dm_cap_order_truncate" BEFORE TRUNCATE ON "sales"."order"
FOR EACH STATEMENT EXECUTE FUNCTION "sales"."dm_cap_order"();

-- catchUp
SELECT "group" AS "c0", "lineNo" AS "c1", "placedAt" AS "c2", "isGift" AS "c3", "Menge€" AS "c4", "group" AS "dm_k0", "lineNo" AS "dm_k1"
FROM "sales"."order"
WHERE ("group", "lineNo") IN (SELECT "dm_k0", "dm_k1" FROM "sales"."dm_log_order" WHERE "dm_seq" IN (:dm_seqs));

-- quiesce
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF to_regprocedure('"sales"."dm_refuse_writes"()') IS NULL THEN
    BEGIN
      CREATE FUNCTION "sales"."dm_refuse_writes"() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
CREATE TRIGGER "dm_ro_order" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "sales"."order"
FOR EACH STATEMENT EXECUTE FUNCTION "sales"."dm_refuse_writes"('Writes to order are paused for a migration; retry shortly');

-- quiesceRollback
DROP TRIGGER IF EXISTS "dm_ro_order" ON "sales"."order";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"sales"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "sales"."dm_refuse_writes"();
  END IF;
END
$dm$;

-- captureRemoval
DROP FUNCTION IF EXISTS "sales"."dm_cap_order"() CASCADE;
DROP TABLE IF EXISTS "sales"."dm_log_order";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"sales"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "sales"."dm_refuse_writes"();
  END IF;
END
$dm$;
DROP TRIGGER IF EXISTS "dm_ro_order" ON "sales"."order";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"sales"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "sales"."dm_refuse_writes"();
  END IF;
END
$dm$;

-- compatibilityView

-- validation
-- source side
SELECT COUNT(*) AS "row_count",
       COUNT("group") AS "n0",
       COUNT("lineNo") AS "n1",
       COUNT("placedAt") AS "n2",
       COUNT("isGift") AS "n3",
       COUNT("Menge€") AS "n4",
       SUM(('x' || substr(md5((((("group"))::text || '|' || (("lineNo"))::text || '|' || (FLOOR(EXTRACT(EPOCH FROM ("placedAt")))::bigint)::text || '|' || (CASE WHEN ("isGift") THEN 1 WHEN NOT ("isGift") THEN 0 END)::text || '|' || COALESCE(CAST(ROUND(("Menge€") * 1000) AS numeric)::text, 'n')))), 1, 8))::bit(32)::bigint) AS "row_checksum"
FROM "sales"."order";
-- target side
SELECT COUNT(*) AS `row_count`,
       COUNT(`group`) AS `n0`,
       COUNT(`line_no`) AS `n1`,
       COUNT(`placed_at`) AS `n2`,
       COUNT(`is_gift`) AS `n3`,
       COUNT(`menge€`) AS `n4`,
       SUM(CAST(CONV(SUBSTR(MD5(CONCAT((`group`), '|', (`line_no`), '|', (TO_SECONDS((`placed_at`)) - 62167219200), '|', CASE WHEN (`is_gift`) THEN 1 WHEN NOT (`is_gift`) THEN 0 END, '|', COALESCE(CAST(ROUND((`menge€`) * 1000) AS DECIMAL(65, 0)), 'n'))), 1, 8), 16, 10) AS UNSIGNED)) AS `row_checksum`
FROM `shop`.`sales_order`;

-- rollback
DROP TABLE IF EXISTS `shop`.`sales_order`;

-- cutover
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF to_regprocedure('"sales"."dm_refuse_writes"()') IS NULL THEN
    BEGIN
      CREATE FUNCTION "sales"."dm_refuse_writes"() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
CREATE TRIGGER "dm_mv_order" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "sales"."order"
FOR EACH STATEMENT EXECUTE FUNCTION "sales"."dm_refuse_writes"('Read-only until cleanup: order moved to maria:shop.sales_order; write there');
DROP TRIGGER IF EXISTS "dm_ro_order" ON "sales"."order";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"sales"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "sales"."dm_refuse_writes"();
  END IF;
END
$dm$;

-- cutoverRollback
DROP TRIGGER IF EXISTS "dm_mv_order" ON "sales"."order";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"sales"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "sales"."dm_refuse_writes"();
  END IF;
END
$dm$;
DROP TRIGGER IF EXISTS "dm_ro_order" ON "sales"."order";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"sales"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "sales"."dm_refuse_writes"();
  END IF;
END
$dm$;

-- cleanup
DROP TABLE IF EXISTS "sales"."order";
DROP TRIGGER IF EXISTS "dm_mv_order" ON "sales"."order";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"sales"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "sales"."dm_refuse_writes"();
  END IF;
END
$dm$;
DROP TRIGGER IF EXISTS "dm_ro_order" ON "sales"."order";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"sales"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "sales"."dm_refuse_writes"();
  END IF;
END
$dm$;
DROP FUNCTION IF EXISTS "sales"."dm_cap_order"() CASCADE;
DROP TABLE IF EXISTS "sales"."dm_log_order";
DO $dm$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dataset-migrations:"sales"."dm_refuse_writes"()'));
  IF NOT EXISTS (
    SELECT 1 FROM pg_depend
    WHERE refclassid = 'pg_proc'::regclass
      AND refobjid = to_regprocedure('"sales"."dm_refuse_writes"()')
      AND classid = 'pg_trigger'::regclass
  ) THEN
    DROP FUNCTION IF EXISTS "sales"."dm_refuse_writes"();
  END IF;
END
$dm$;
