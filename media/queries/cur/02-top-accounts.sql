-- Top 10 costliest accounts
-- CUR 2.0 (Data Exports): cost per usage (linked) account for one billing period.
-- Parameters (Athena prompts for each ?, in order):
--   1. billing period, as a quoted string: '2024-03'
SELECT
  line_item_usage_account_id AS account_id,
  MAX(line_item_usage_account_name) AS account_name,
  ROUND(SUM(line_item_unblended_cost), 2) AS unblended_cost
FROM {{cur_table}}
WHERE billing_period = ?
GROUP BY line_item_usage_account_id
ORDER BY unblended_cost DESC
LIMIT 10;
