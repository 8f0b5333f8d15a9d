-- mysql shop.auditLog -> postgres pg:archive.audit_log
-- copy: streamed; readers of the old name: frozen-source; copy key: (none)
-- finding warning destructive-change (legacyFlag): Rule "drop legacy" drops column legacyFlag: its values are not copied and readers of the old name get NULL.
-- finding warning missing-primary-key: auditLog has no primary key or unique NOT NULL index: it is copied in one pass (a retry empties the target and starts over) and the target gets no primary key. Writes made during the move could not be caught up without a key, so from provision until cutover (without a compatibility view: until cleanup) the source refuses writes and writers get an error. Consider adding one before it grows.
-- finding warning no-compatibility-view: No view can stand at the old name: mysql connection "maria" cannot read pg:archive.audit_log (another engine). After cutover the old table stays readable but read-only until cleanup; its consumers must repoint to pg:archive.audit_log before finalize.
-- finding warning unprotected-truncate: auditLog is frozen while it moves (it has no key to catch writes up by), but MySQL/MariaDB cannot refuse a TRUNCATE of it: TRUNCATE fires no trigger, and without a key no guard's foreign key can reference it. A TRUNCATE before cleanup empties what readers of the old name see, and a rollback would then leave it empty. Make sure nothing truncates auditLog until the migration has finished, or add a primary key first.

-- targetDdl
CREATE TABLE "archive"."audit_log" (
  "logged_at" timestamp NOT NULL,
  "actor_name" varchar(64) NOT NULL,
  "payload_json" text
);

-- copy
SELECT `loggedAt` AS `c0`, `actorName` AS `c1`, `payloadJson` AS `c2`
FROM `shop`.`auditLog`;

-- capture
CREATE TRIGGER `shop`.`dm_ro_auditLog_insert` BEFORE INSERT ON `shop`.`auditLog`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Writes to auditLog are paused for a migration (no key to catch up by); retry later';
CREATE TRIGGER `shop`.`dm_ro_auditLog_update` BEFORE UPDATE ON `shop`.`auditLog`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Writes to auditLog are paused for a migration (no key to catch up by); retry later';
CREATE TRIGGER `shop`.`dm_ro_auditLog_delete` BEFORE DELETE ON `shop`.`auditLog`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Writes to auditLog are paused for a migration (no key to catch up by); retry later';

-- catchUp

-- quiesce

-- quiesceRollback

-- captureRemoval
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_delete`;

-- compatibilityView

-- validation
-- source side
SELECT COUNT(*) AS `row_count`,
       COUNT(`loggedAt`) AS `n0`,
       COUNT(`actorName`) AS `n1`,
       COUNT(`payloadJson`) AS `n2`,
       SUM(CAST(CONV(SUBSTR(MD5(CONCAT((TO_SECONDS((`loggedAt`)) - 62167219200), '|', CONCAT(CHAR_LENGTH(CONVERT((`actorName`) USING utf8mb4)), ':', CONVERT((`actorName`) USING utf8mb4)), '|', COALESCE(CONCAT(CHAR_LENGTH(CONVERT((`payloadJson`) USING utf8mb4)), ':', CONVERT((`payloadJson`) USING utf8mb4)), 'n'))), 1, 8), 16, 10) AS UNSIGNED)) AS `row_checksum`
FROM `shop`.`auditLog`;
-- target side
SELECT COUNT(*) AS "row_count",
       COUNT("logged_at") AS "n0",
       COUNT("actor_name") AS "n1",
       COUNT("payload_json") AS "n2",
       SUM(('x' || substr(md5((((FLOOR(EXTRACT(EPOCH FROM ("logged_at")))::bigint)::text || '|' || (char_length(("actor_name")::text)::text || ':' || ("actor_name")::text) || '|' || COALESCE((char_length(("payload_json")::text)::text || ':' || ("payload_json")::text), 'n')))), 1, 8))::bit(32)::bigint) AS "row_checksum"
FROM "archive"."audit_log";

-- rollback
DROP TABLE IF EXISTS "archive"."audit_log";

-- cutover
CREATE TRIGGER `shop`.`dm_mv_auditLog_insert` BEFORE INSERT ON `shop`.`auditLog`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Read-only until cleanup: auditLog moved to pg:archive.audit_log; write there';
CREATE TRIGGER `shop`.`dm_mv_auditLog_update` BEFORE UPDATE ON `shop`.`auditLog`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Read-only until cleanup: auditLog moved to pg:archive.audit_log; write there';
CREATE TRIGGER `shop`.`dm_mv_auditLog_delete` BEFORE DELETE ON `shop`.`auditLog`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Read-only until cleanup: auditLog moved to pg:archive.audit_log; write there';
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_delete`;

-- cutoverRollback
DROP TRIGGER IF EXISTS `shop`.`dm_mv_auditLog_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_mv_auditLog_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_mv_auditLog_delete`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_delete`;

-- cleanup
DROP TABLE IF EXISTS `shop`.`auditLog`;
DROP TRIGGER IF EXISTS `shop`.`dm_mv_auditLog_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_mv_auditLog_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_mv_auditLog_delete`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_auditLog_delete`;
