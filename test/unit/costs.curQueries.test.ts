// The CUR 2.0 queries (media/queries/cur, the `cur` group of the Athena query library): each is one
// Athena statement whose `?` markers match its documented parameters, with the table written in on open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fillPlaceholders, libraryProblems, listLibrary } from '../../src/athena/library';
import { splitStatements } from '../../src/athena/sql';

const ROOT = join(__dirname, '..', '..', '..', 'media', 'queries');

test('the CUR 2.0 library holds the five queries the issue asks for', async () => {
  const titles = (await listLibrary(ROOT)).filter((q) => q.group === 'cur').map((q) => q.title);
  assert.deepEqual(titles, ['Top 10 costliest services', 'Top 10 costliest accounts', 'Cost by a tag (e.g. cost_center)', 'Distinct billing periods', 'Usage types']);
});

test('each CUR query is one statement, documents every ? parameter, and takes its table on open', async () => {
  for (const q of (await listLibrary(ROOT)).filter((x) => x.group === 'cur')) {
    assert.deepEqual(libraryProblems(q), [], q.file);
    assert.deepEqual(q.placeholders, ['cur_table'], q.file);
    assert.ok(q.description.length > 20, q.file);
    const sql = fillPlaceholders(q.text, { cur_table: 'data_exports.cur2' });
    assert.match(splitStatements(sql)[0].text, /FROM data_exports\.cur2\b/, q.file);
    assert.throws(() => fillPlaceholders(q.text, { cur_table: 'x; DROP TABLE y' }), q.file);
  }
});

test('the cost-by-tag query takes the tag key as a parameter, not as SQL text', async () => {
  const q = (await listLibrary(ROOT)).find((x) => x.file === '03-cost-by-tag.sql');
  assert.ok(q);
  assert.match(q.text, /element_at\(resource_tags, \?\)/);
  assert.equal(q.parameters.length, 2);
  assert.match(q.parameters[0], /user_cost_center/);
});

// The CUR 2.0 table has a fixed schema, but some columns exist only when the export asks for them:
// line_item_resource_id only with "Include resource IDs" (INCLUDE_RESOURCES), split_line_item_* only with
// split cost allocation data. https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html
// These are columns every CUR 2.0 export has (and billing_period, the export's partition), so a query
// that uses only these runs on any export.
const CUR2_ALWAYS = new Set([
  'bill_bill_type', 'bill_billing_entity', 'bill_billing_period_end_date', 'bill_billing_period_start_date', 'bill_invoice_id',
  'bill_invoicing_entity', 'bill_payer_account_id', 'bill_payer_account_name', 'billing_period', 'cost_category', 'discount',
  'identity_line_item_id', 'identity_time_interval', 'line_item_availability_zone', 'line_item_blended_cost', 'line_item_blended_rate',
  'line_item_currency_code', 'line_item_legal_entity', 'line_item_line_item_description', 'line_item_line_item_type',
  'line_item_net_unblended_cost', 'line_item_net_unblended_rate', 'line_item_normalization_factor', 'line_item_normalized_usage_amount',
  'line_item_operation', 'line_item_product_code', 'line_item_tax_type', 'line_item_unblended_cost', 'line_item_unblended_rate',
  'line_item_usage_account_id', 'line_item_usage_account_name', 'line_item_usage_amount', 'line_item_usage_end_date',
  'line_item_usage_start_date', 'line_item_usage_type', 'pricing_currency', 'pricing_public_on_demand_cost', 'pricing_public_on_demand_rate',
  'pricing_purchase_option', 'pricing_rate_code', 'pricing_term', 'pricing_unit', 'product', 'product_fee_code', 'product_from_location',
  'product_instance_type', 'product_location', 'product_operation', 'product_product_family', 'product_region_code', 'product_servicecode',
  'product_sku', 'product_usagetype', 'resource_tags',
]);
const CUR2_COLUMN = /^(bill_|billing_period$|cost_category$|discount|identity_|line_item_|pricing_|product|reservation_|resource_tags$|savings_plan_|split_line_item_)/;

/** The CUR column names a query uses: identifiers outside comments and string literals. */
function curColumns(sql: string): string[] {
  const code = sql.replace(/--[^\n]*/g, ' ').replace(/'(?:[^']|'')*'/g, "''");
  return [...new Set(code.match(/\b[a-z_][a-z0-9_]*\b/gi) ?? [])].map((t) => t.toLowerCase()).filter((t) => CUR2_COLUMN.test(t));
}

test('every CUR query runs on any CUR 2.0 export: no column that needs an export option (line_item_resource_id needs "Include resource IDs")', async () => {
  for (const q of (await listLibrary(ROOT)).filter((x) => x.group === 'cur')) {
    const used = curColumns(q.text);
    assert.ok(used.length >= 2, `${q.file} uses CUR columns: ${used.join(', ')}`);
    assert.deepEqual(used.filter((c) => !CUR2_ALWAYS.has(c)), [], `${q.file}: columns not in every CUR 2.0 export`);
  }
  assert.deepEqual(curColumns("SELECT COUNT(DISTINCT line_item_resource_id) -- line_item_x\nFROM t WHERE x = 'split_line_item_y'"), ['line_item_resource_id'], 'the check sees columns, not comments or strings');
});

test('cost by tag counts services and line items per tag value, which every export has', async () => {
  const q = (await listLibrary(ROOT)).find((x) => x.file === '03-cost-by-tag.sql');
  assert.ok(q);
  const select = splitStatements(fillPlaceholders(q.text, { cur_table: 'data_exports.cur2' }))[0].text;
  assert.match(select, /COUNT\(DISTINCT line_item_product_code\) AS services/);
  assert.match(select, /COUNT\(\*\) AS line_items/);
  assert.match(q.description, /resource IDs/);
});
