-- Last events of an app
-- The 200 most recent events of one app on one day, newest first.
-- Parameters:
--   1. app id, e.g. 'checkout'
--   2. year, e.g. '2024'
--   3. month, two digits, e.g. '05'
--   4. day, two digits, e.g. '01'
SELECT from_iso8601_timestamp(ts) AS event_time,
       level,
       message,
       fields,
       metrics
FROM {{events_table}}
WHERE appid = ? AND year = ? AND month = ? AND day = ?
ORDER BY event_time DESC
LIMIT 200;
