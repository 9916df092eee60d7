-- Top 10 costliest services
-- CUR 2.0 (Data Exports): unblended and net unblended cost per service for one billing period.
-- Parameters (Athena prompts for each ?, in order):
--   1. billing period, as a quoted string: '2024-03'
SELECT
  line_item_product_code AS service,
  ROUND(SUM(line_item_unblended_cost), 2) AS unblended_cost,
  ROUND(SUM(line_item_net_unblended_cost), 2) AS net_unblended_cost
FROM {{cur_table}}
WHERE billing_period = ?
  AND line_item_line_item_type NOT IN ('Credit', 'Refund', 'Tax')
GROUP BY line_item_product_code
ORDER BY unblended_cost DESC
LIMIT 10;
