-- A view the billing service reads: accounts with orders older than 30 days still open.
CREATE VIEW IF NOT EXISTS billing_overdue AS
SELECT c."id", c."fullName", c."countryCode", o."orderId", o."orderDate"
FROM "customerAccounts" c
JOIN "salesOrders" o ON o."customerId" = c."id"
WHERE o."statusCode" = 'open'
  AND o."orderDate" < date('now', '-30 days');
