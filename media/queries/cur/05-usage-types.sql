-- Usage types
-- CUR 2.0 (Data Exports): the costliest usage types of one billing period, with the usage behind them.
-- Parameters (Athena prompts for each ?, in order):
--   1. billing period, quoted: '2024-03'
SELECT
  line_item_product_code AS service,
  line_item_usage_type AS usage_type,
  pricing_unit,
  ROUND(SUM(line_item_usage_amount), 3) AS usage_amount,
  ROUND(SUM(line_item_unblended_cost), 2) AS unblended_cost
FROM {{cur_table}}
WHERE billing_period = ?
  AND line_item_line_item_type = 'Usage'
GROUP BY line_item_product_code, line_item_usage_type, pricing_unit
ORDER BY unblended_cost DESC
LIMIT 50;
