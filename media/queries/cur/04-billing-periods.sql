-- Distinct billing periods
-- CUR 2.0 (Data Exports): which billing periods the export holds, with their total and line count.
-- Parameters: none.
SELECT
  billing_period,
  ROUND(SUM(line_item_unblended_cost), 2) AS unblended_cost,
  COUNT(*) AS line_items
FROM {{cur_table}}
GROUP BY billing_period
ORDER BY billing_period DESC;
