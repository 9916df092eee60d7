-- Cost by a tag (e.g. cost_center)
-- CUR 2.0 (Data Exports): cost per value of one cost allocation tag. In CUR 2.0, user tags are keys of the
-- resource_tags map with a user_ prefix: the tag cost_center is 'user_cost_center'. Works on every CUR 2.0
-- export: it counts services, not resources, since line_item_resource_id exists only in exports that include resource IDs.
-- Parameters (Athena prompts for each ?, in order):
--   1. tag key in resource_tags, quoted: 'user_cost_center'
--   2. billing period, quoted: '2024-03'
SELECT
  COALESCE(NULLIF(element_at(resource_tags, ?), ''), '(untagged)') AS tag_value,
  ROUND(SUM(line_item_unblended_cost), 2) AS unblended_cost,
  COUNT(DISTINCT line_item_product_code) AS services,
  COUNT(*) AS line_items
FROM {{cur_table}}
WHERE billing_period = ?
GROUP BY 1
ORDER BY unblended_cost DESC;
