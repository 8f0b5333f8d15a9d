-- Invoices: one line per open order, with the customer it bills.
-- Reads customer-accounts and sales-orders (warehouse).
SELECT o."orderId",
       o."orderDate",
       o."totalAmount",
       c."fullName"     AS customer_name,
       c."emailAddress" AS billing_email
FROM "salesOrders" AS o
JOIN "customerAccounts" AS c ON c."id" = o."customerId"
WHERE o."statusCode" = 'open'
ORDER BY o."orderId"
LIMIT 100;

/* Credit check: customers whose open orders exceed their limit. */
SELECT customerAccounts.id,
       customerAccounts.creditLimit,
       SUM(salesOrders.totalAmount) AS open_amount
FROM customerAccounts
JOIN salesOrders ON salesOrders.customerId = customerAccounts.id
WHERE salesOrders.statusCode = 'open'
GROUP BY customerAccounts.id, customerAccounts.creditLimit
HAVING SUM(salesOrders.totalAmount) > customerAccounts.creditLimit;

-- The label below names the table inside a string: it must not change.
SELECT 'customerAccounts' AS source_table, COUNT(*) AS active_accounts
FROM "customerAccounts"
WHERE "isActive" = 1;
