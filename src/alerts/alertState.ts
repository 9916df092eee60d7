// Reads the pipeline's alert-state table through its state index (Query per state, never Scan).
// The item shape comes from the consumer (issue 3); this reader accepts the field names and time
// formats that shape may reasonably use, and never throws on a missing field. No vscode import.
import { DescribeTableCommand, DynamoDBClient, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

export type AlertStateName = 'ALARM' | 'OK';

export interface AlertStateRow {
  /** The alert key: appId#alertType, or the table's own key. */
  key: string;
  appId?: string;
  alertType?: string;
  state: string;
  /** Epoch ms. */
  since?: number;
  lastNotifiedAt?: number;
  suppressedCount: number;
  lastMessage?: string;
  severity?: string;
}

export interface AlertStates {
  alarm: AlertStateRow[];
  ok: AlertStateRow[];
  /** The attribute the index is keyed on, read from DescribeTable. */
  stateAttribute: string;
  /** The first Query pages only: more rows are being read. */
  more?: boolean;
}

interface TableShape { keyAttributes: string[]; stateAttribute: string }

/**
 * The TTL attribute the consumer writes (epoch seconds; templates/pipeline.yaml's TimeToLiveSpecification).
 * DynamoDB deletes expired items only eventually (typically within days), so a reader must leave them out
 * itself: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
export const ALERT_TTL_ATTRIBUTE = 'expiresAt';

const shapes = new Map<string, TableShape>();

/** The table's key attributes and the index's partition key, from DescribeTable (cached per table). */
export async function describeAlertTable(client: DynamoDBClient, table: string, index: string): Promise<TableShape> {
  const cacheKey = `${table}|${index}`;
  const hit = shapes.get(cacheKey);
  if (hit) return hit;
  const res = await client.send(new DescribeTableCommand({ TableName: table }));
  const gsi = res.Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === index);
  if (!gsi) throw Object.assign(new Error(`The alert-state table ${table} has no index named ${index}.`), { name: 'ResourceNotFoundException' });
  const stateAttribute = gsi.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? 'state';
  const shape = { keyAttributes: (res.Table?.KeySchema ?? []).map((k) => k.AttributeName ?? '').filter(Boolean), stateAttribute };
  shapes.set(cacheKey, shape);
  return shape;
}

/** Epoch ms from epoch seconds, epoch ms, or an ISO-8601 string. */
export function toEpochMs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v;
  if (typeof v === 'string' && v.trim()) {
    if (/^\d+(\.\d+)?$/.test(v.trim())) return toEpochMs(Number(v));
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v || undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function first(item: Record<string, unknown>, names: string[]): unknown {
  for (const n of names) if (item[n] !== undefined && item[n] !== null) return item[n];
  return undefined;
}

/** One item, whatever its shape, as a row. */
export function toAlertStateRow(item: Record<string, unknown>, shape: TableShape): AlertStateRow {
  const appId = str(first(item, ['appId', 'appid', 'app']));
  const alertType = str(first(item, ['alertType', 'alerttype', 'type', 'rule']));
  const ownKey = shape.keyAttributes.map((k) => str(item[k])).filter(Boolean).join(' / ');
  const key = str(first(item, ['alertKey', 'key'])) ?? (appId && alertType ? `${appId}#${alertType}` : ownKey || '(no key)');
  const suppressed = Number(first(item, ['suppressedCount', 'suppressed', 'suppressedSinceLast', 'suppressedSinceNotify']) ?? 0);
  return {
    key,
    appId,
    alertType,
    state: (str(item[shape.stateAttribute]) ?? str(item.state) ?? 'UNKNOWN').toUpperCase(),
    since: toEpochMs(first(item, ['since', 'stateSince', 'stateChangedAt', 'changedAt', 'firstSeenAt', 'openedAt', 'updatedAt'])),
    lastNotifiedAt: toEpochMs(first(item, ['lastNotifiedAt', 'lastNotified', 'notifiedAt', 'lastSentAt'])),
    suppressedCount: Number.isFinite(suppressed) ? suppressed : 0,
    lastMessage: str(first(item, ['lastMessage', 'summary', 'message', 'lastError'])),
    severity: str(first(item, ['severity', 'level'])),
  };
}

/** The rows a view draws from before the rest is read (a page of the view: src/tree/paging.ts). */
export const FIRST_QUERY_PAGE = 100;

export interface QueryStateOptions {
  maxItems?: number;
  now?: number;
  /** Limit of the first Query page; later pages are DynamoDB's own size (1 MB). */
  firstPage?: number;
  /** After the first page when more pages follow: its rows, newest first. */
  onFirstPage?: (rows: AlertStateRow[]) => void;
}

/**
 * Every item in one state, through the index, all pages. `key.stateAttribute` is what the Query asks on; rows are
 * converted with `key.shape()`, awaited once the first page is in (DescribeTable read meanwhile).
 */
export async function queryState(client: DynamoDBClient, table: string, index: string, state: AlertStateName, key: { stateAttribute: string; shape: () => Promise<TableShape> }, opts: QueryStateOptions = {}): Promise<AlertStateRow[]> {
  const { maxItems = 1_000, now = Date.now() } = opts;
  const rows: AlertStateRow[] = [];
  let start: Record<string, AttributeValue> | undefined;
  let first = true;
  let shape: TableShape | undefined;
  do {
    const res = await client.send(new QueryCommand({
      TableName: table,
      IndexName: index,
      KeyConditionExpression: '#s = :s',
      // Expired (TTL passed) but not yet deleted by DynamoDB: not a current state.
      FilterExpression: 'attribute_not_exists(#exp) OR #exp > :now',
      ExpressionAttributeNames: { '#s': key.stateAttribute, '#exp': ALERT_TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':s': { S: state }, ':now': { N: String(Math.floor(now / 1000)) } },
      ExclusiveStartKey: start,
      Limit: first ? opts.firstPage : undefined,
    }));
    shape ??= await key.shape();
    for (const it of res.Items ?? []) rows.push(toAlertStateRow(unmarshall(it), shape));
    start = res.LastEvaluatedKey;
    if (first && start && rows.length < maxItems) opts.onFirstPage?.(newestFirst([...rows]));
    first = false;
  } while (start && rows.length < maxItems);
  return newestFirst(rows);
}

/** Newest state change first. */
function newestFirst(rows: AlertStateRow[]): AlertStateRow[] {
  return rows.sort((a, b) => (b.since ?? 0) - (a.since ?? 0));
}

/**
 * The shape templates/pipeline.yaml gives the table (key alertKey; index keyed on state). The Queries start with
 * it while DescribeTable is read, so a stack of ours costs no round trip for the shape; a table of another shape
 * is queried again with its own once DescribeTable says so.
 */
export const TEMPLATE_SHAPE: Readonly<TableShape> = { keyAttributes: ['alertKey'], stateAttribute: 'state' };

/** A Query sent with a state attribute that DescribeTable then named otherwise: its rows are not used. */
class ShapeMismatch extends Error {}

/**
 * Both states. DescribeTable (cached per table) is asked together with the Queries, which start with the shape
 * known so far (the cache's, else TEMPLATE_SHAPE) and convert rows only once DescribeTable has answered: its
 * errors (no such index) are the ones reported, and a different state attribute means asking again with it.
 * `onFirstPages`: once both Queries' first pages (FIRST_QUERY_PAGE items each) are read and one of them has
 * more, the states so far with `more` set, so a view draws them while the rest is read.
 */
export async function readAlertStates(client: DynamoDBClient, table: string, index: string, now = Date.now(), onFirstPages?: (soFar: AlertStates) => void): Promise<AlertStates> {
  const described = describeAlertTable(client, table, index);
  described.catch(() => undefined);
  const guess = shapes.get(`${table}|${index}`) ?? TEMPLATE_SHAPE;
  try {
    return await readStatesWith(client, table, index, now, guess.stateAttribute, described, onFirstPages);
  } catch (err) {
    if (!(err instanceof ShapeMismatch)) throw err;
    const shape = await described;
    return readStatesWith(client, table, index, now, shape.stateAttribute, described, onFirstPages);
  }
}

async function readStatesWith(client: DynamoDBClient, table: string, index: string, now: number, stateAttribute: string, described: Promise<TableShape>, onFirstPages?: (soFar: AlertStates) => void): Promise<AlertStates> {
  /** The table's shape once DescribeTable answered, if the Queries asked with its state attribute. */
  const confirmed = async () => {
    const shape = await described;
    if (shape.stateAttribute !== stateAttribute) throw new ShapeMismatch(`${table} is keyed on ${shape.stateAttribute}`);
    return shape;
  };
  const firsts: Partial<Record<AlertStateName, AlertStateRow[]>> = {};
  let more = false;
  const firstIn = (state: AlertStateName) => (rows: AlertStateRow[], hasMore: boolean) => {
    firsts[state] = rows;
    more ||= hasMore;
    if (firsts.ALARM && firsts.OK && more) onFirstPages?.({ alarm: firsts.ALARM, ok: firsts.OK, stateAttribute, more: true });
  };
  const read = async (state: AlertStateName) => {
    let early = false;
    const rows = await queryState(client, table, index, state, { stateAttribute, shape: confirmed }, {
      now,
      firstPage: onFirstPages ? FIRST_QUERY_PAGE : undefined,
      onFirstPage: (r) => { early = true; firstIn(state)(r, true); },
    }).catch(async (err: unknown) => {
      // A Query refused because of the attribute guessed (not the index's key): DescribeTable's answer decides.
      await confirmed();
      throw err;
    });
    // A state whose first page was its last: its rows count as its first page.
    if (!early) firstIn(state)(rows, false);
    return rows;
  };
  const [alarm, ok] = await Promise.all([read('ALARM'), read('OK')]);
  return { alarm, ok, stateAttribute };
}
