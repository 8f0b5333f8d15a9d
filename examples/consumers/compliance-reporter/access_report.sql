-- Quarterly access report: who did what, and the account it concerned.
SELECT a."loggedAt", a."actorName", a."actionText"
FROM "legacyAuditLog" a
WHERE a."loggedAt" >= date('now', 'start of month', '-3 months')
ORDER BY a."loggedAt";

-- Accounts per country that are still active (the regulator asks for these).
SELECT "countryCode", COUNT(*) AS accounts
FROM "customerAccounts"
WHERE "isActive" = 1 AND "countryCode" IS NOT NULL
GROUP BY "countryCode"
ORDER BY "countryCode";
