-- mysql shop.reviews -> mysql maria:shop.reviews_v2
-- copy: push-down; readers of the old name: view; copy key: id

-- targetDdl
CREATE TABLE `shop`.`reviews_v2` (
  `id` int(11) NOT NULL,
  `product_sku` varchar(32) NOT NULL,
  `stars` tinyint(4) NOT NULL,
  `body` longtext,
  PRIMARY KEY (`id`)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- postCopyDdl
CREATE INDEX `reviews_v2_product_sku_stars_idx` ON `shop`.`reviews_v2` (`product_sku`, `stars`);
CREATE INDEX `reviews_v2_body_idx` ON `shop`.`reviews_v2` (`body`(255));

-- copy
INSERT INTO `shop`.`reviews_v2` (`id`, `product_sku`, `stars`, `body`)
SELECT `id`, `productSku`, `stars`, `body`
FROM `shop`.`reviews`
ORDER BY `id`;

-- capture
CREATE TABLE `shop`.`dm_log_reviews` (`dm_seq` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `dm_k0` int(11) NULL);
CREATE TRIGGER `shop`.`dm_cap_reviews_insert` AFTER INSERT ON `shop`.`reviews`
FOR EACH ROW INSERT INTO `shop`.`dm_log_reviews` (`dm_k0`) VALUES (NEW.`id`);
CREATE TRIGGER `shop`.`dm_cap_reviews_update` AFTER UPDATE ON `shop`.`reviews`
FOR EACH ROW BEGIN
  INSERT INTO `shop`.`dm_log_reviews` (`dm_k0`) VALUES (OLD.`id`);
  IF NOT (OLD.`id` <=> NEW.`id`) THEN
    INSERT INTO `shop`.`dm_log_reviews` (`dm_k0`) VALUES (NEW.`id`);
  END IF;
END;
CREATE TRIGGER `shop`.`dm_cap_reviews_delete` AFTER DELETE ON `shop`.`reviews`
FOR EACH ROW INSERT INTO `shop`.`dm_log_reviews` (`dm_k0`) VALUES (OLD.`id`);

-- catchUp
DELETE FROM `shop`.`reviews_v2`
WHERE `id` IN (SELECT `dm_k0` FROM `shop`.`dm_log_reviews` WHERE `dm_seq` IN (:dm_seqs));
INSERT INTO `shop`.`reviews_v2` (`id`, `product_sku`, `stars`, `body`)
SELECT `id`, `productSku`, `stars`, `body`
FROM `shop`.`reviews`
WHERE `id` IN (SELECT `dm_k0` FROM `shop`.`dm_log_reviews` WHERE `dm_seq` IN (:dm_seqs));

-- quiesce
CREATE TRIGGER `shop`.`dm_ro_reviews_insert` BEFORE INSERT ON `shop`.`reviews`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Writes paused for the cutover: reviews is moving to maria:shop.reviews_v2; retry in a minute';
CREATE TRIGGER `shop`.`dm_ro_reviews_update` BEFORE UPDATE ON `shop`.`reviews`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Writes paused for the cutover: reviews is moving to maria:shop.reviews_v2; retry in a minute';
CREATE TRIGGER `shop`.`dm_ro_reviews_delete` BEFORE DELETE ON `shop`.`reviews`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Writes paused for the cutover: reviews is moving to maria:shop.reviews_v2; retry in a minute';
CREATE TABLE IF NOT EXISTS `shop`.`dm_guard_reviews` (CONSTRAINT `dm_guard_reviews_fk` FOREIGN KEY (`id`) REFERENCES `shop`.`reviews` (`id`)) ENGINE=InnoDB AS SELECT `id` FROM `shop`.`reviews` WHERE 1 = 0;

-- quiesceRollback
DROP TRIGGER IF EXISTS `shop`.`dm_ro_reviews_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_reviews_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_reviews_delete`;
DROP TABLE IF EXISTS `shop`.`dm_guard_reviews`;

-- captureRemoval
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_delete`;
DROP TABLE IF EXISTS `shop`.`dm_log_reviews`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_reviews_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_reviews_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_ro_reviews_delete`;
DROP TABLE IF EXISTS `shop`.`dm_guard_reviews`;

-- compatibilityView
CREATE VIEW `shop`.`reviews` AS
SELECT `id` AS `id`,
       `product_sku` AS `productSku`,
       `stars` AS `stars`,
       `body` AS `body`
FROM `shop`.`reviews_v2`;

-- validation
-- source side
SELECT COUNT(*) AS `row_count`,
       COUNT(`id`) AS `n0`,
       COUNT(`productSku`) AS `n1`,
       COUNT(`stars`) AS `n2`,
       COUNT(`body`) AS `n3`,
       SUM(CAST(CONV(SUBSTR(MD5(CONCAT((`id`), '|', CONCAT(CHAR_LENGTH(CONVERT((`productSku`) USING utf8mb4)), ':', CONVERT((`productSku`) USING utf8mb4)), '|', (`stars`), '|', COALESCE(CONCAT(CHAR_LENGTH(CONVERT((`body`) USING utf8mb4)), ':', CONVERT((`body`) USING utf8mb4)), 'n'))), 1, 8), 16, 10) AS UNSIGNED)) AS `row_checksum`
FROM `shop`.`reviews`;
-- target side
SELECT COUNT(*) AS `row_count`,
       COUNT(`id`) AS `n0`,
       COUNT(`product_sku`) AS `n1`,
       COUNT(`stars`) AS `n2`,
       COUNT(`body`) AS `n3`,
       SUM(CAST(CONV(SUBSTR(MD5(CONCAT((`id`), '|', CONCAT(CHAR_LENGTH(CONVERT((`product_sku`) USING utf8mb4)), ':', CONVERT((`product_sku`) USING utf8mb4)), '|', (`stars`), '|', COALESCE(CONCAT(CHAR_LENGTH(CONVERT((`body`) USING utf8mb4)), ':', CONVERT((`body`) USING utf8mb4)), 'n'))), 1, 8), 16, 10) AS UNSIGNED)) AS `row_checksum`
FROM `shop`.`reviews_v2`;

-- rollback
DROP TABLE IF EXISTS `shop`.`reviews_v2`;

-- cutover
RENAME TABLE `shop`.`reviews` TO `shop`.`reviews__dm_backup`;
CREATE VIEW `shop`.`reviews` AS
SELECT `id` AS `id`,
       `product_sku` AS `productSku`,
       `stars` AS `stars`,
       `body` AS `body`
FROM `shop`.`reviews_v2`;

-- cutoverRollback
DROP VIEW IF EXISTS `shop`.`reviews`;
RENAME TABLE `shop`.`reviews__dm_backup` TO `shop`.`reviews`;

-- compatibilityCapture
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_v2_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_v2_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_v2_delete`;
DROP TABLE IF EXISTS `shop`.`dm_cw_reviews_v2`;
CREATE TABLE `shop`.`dm_cw_reviews_v2` (`dm_seq` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `dm_k0` int(11) NULL);
CREATE TRIGGER `shop`.`dm_cap_reviews_v2_insert` AFTER INSERT ON `shop`.`reviews_v2`
FOR EACH ROW INSERT INTO `shop`.`dm_cw_reviews_v2` (`dm_k0`) VALUES (NEW.`id`);
CREATE TRIGGER `shop`.`dm_cap_reviews_v2_update` AFTER UPDATE ON `shop`.`reviews_v2`
FOR EACH ROW BEGIN
  INSERT INTO `shop`.`dm_cw_reviews_v2` (`dm_k0`) VALUES (OLD.`id`);
  IF NOT (OLD.`id` <=> NEW.`id`) THEN
    INSERT INTO `shop`.`dm_cw_reviews_v2` (`dm_k0`) VALUES (NEW.`id`);
  END IF;
END;
CREATE TRIGGER `shop`.`dm_cap_reviews_v2_delete` AFTER DELETE ON `shop`.`reviews_v2`
FOR EACH ROW INSERT INTO `shop`.`dm_cw_reviews_v2` (`dm_k0`) VALUES (OLD.`id`);

-- compatibilityCaptureRemoval
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_v2_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_v2_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_v2_delete`;
DROP TABLE IF EXISTS `shop`.`dm_cw_reviews_v2`;

-- cleanup
DROP VIEW IF EXISTS `shop`.`reviews`;
DROP TABLE IF EXISTS `shop`.`dm_guard_reviews`;
DROP TABLE IF EXISTS `shop`.`reviews__dm_backup`;
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_insert`;
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_update`;
DROP TRIGGER IF EXISTS `shop`.`dm_cap_reviews_delete`;
DROP TABLE IF EXISTS `shop`.`dm_log_reviews`;
