-- Product pages: everything about one product.
SELECT * FROM "productCatalog" WHERE "productSku" = :sku;

-- The category menu.
SELECT "categoryName", COUNT(*) AS products
FROM "productCatalog"
WHERE "isDiscontinued" = 0
GROUP BY "categoryName"
ORDER BY "categoryName";

-- Most viewed product pages this week (page views name the product in the URL).
SELECT p."productSku", p."productName", COUNT(v."eventId") AS views
FROM "productCatalog" p
JOIN "pageViewEvents" v ON v."pageUrl" LIKE '%/products/' || p."productSku"
WHERE v."viewedAt" >= datetime('now', '-7 days')
GROUP BY p."productSku", p."productName"
ORDER BY views DESC
LIMIT 20;
