-- Revenue per day, with a 7-day moving average (a CTE and a window function).
WITH daily AS (
  SELECT "orderDate" AS day, SUM("totalAmount") AS revenue, COUNT(*) AS orders
  FROM "salesOrders"
  WHERE "statusCode" <> 'cancelled'
  GROUP BY "orderDate"
)
SELECT day,
       revenue,
       orders,
       AVG(revenue) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS revenue_7d
FROM daily
ORDER BY day;

-- Units sold per product, from the order lines (composite key orderId, lineNo).
SELECT l."productSku", SUM(l."quantity") AS units, SUM(l."quantity" * l."unitPrice") AS gross
FROM "orderLines" l
JOIN "salesOrders" o ON o."orderId" = l."orderId"
GROUP BY l."productSku"
ORDER BY gross DESC;
