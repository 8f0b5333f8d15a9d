-- Sessions from page views. The CTE named pageViewEvents shadows the table inside the
-- outer query: only the CTE's own FROM reads the dataset.
WITH pageViewEvents AS (
  SELECT "sessionId", "viewedAt", "durationMs"
  FROM main."pageViewEvents"
  WHERE "viewedAt" >= datetime('now', '-1 day')
)
SELECT "sessionId",
       MIN("viewedAt") AS started_at,
       COUNT(*) AS pages,
       SUM(COALESCE("durationMs", 0)) AS total_ms
FROM pageViewEvents
GROUP BY "sessionId";
