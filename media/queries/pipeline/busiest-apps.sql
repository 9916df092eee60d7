-- Busiest apps
-- Events, errors and warnings per app over one month, busiest first. The pipeline's events table
-- projects appid as "injected", so name the apps to compare (repeat one to ask for fewer).
-- Parameters:
--   1. app id, e.g. 'checkout'
--   2. app id, e.g. 'orders'
--   3. app id, e.g. 'payments'
--   4. year, e.g. '2024'
--   5. month, two digits, e.g. '05'
SELECT appid,
       count(*) AS events,
       count_if(level IN ('ERROR', 'FATAL')) AS errors,
       count_if(level = 'WARN') AS warnings,
       min(ts) AS first_event,
       max(ts) AS last_event
FROM {{events_table}}
WHERE appid IN (?, ?, ?)
  AND year = ? AND month = ?
GROUP BY appid
ORDER BY events DESC;
