-- Errors per app per hour
-- ERROR and FATAL events per app and hour, for up to three apps over one month. The pipeline's
-- events table projects appid as "injected", so Athena needs the app ids spelled out (repeat one
-- to ask for fewer apps).
-- Parameters:
--   1. app id, e.g. 'checkout'
--   2. app id, e.g. 'orders'
--   3. app id, e.g. 'payments'
--   4. year, e.g. '2024'
--   5. month, two digits, e.g. '05'
SELECT appid,
       date_trunc('hour', from_iso8601_timestamp(ts)) AS hour,
       count(*) AS errors
FROM {{events_table}}
WHERE appid IN (?, ?, ?)
  AND year = ? AND month = ?
  AND level IN ('ERROR', 'FATAL')
GROUP BY 1, 2
ORDER BY hour, appid;
