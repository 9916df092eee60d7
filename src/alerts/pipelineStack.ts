// Finds the bundled pipeline's stacks by their tag and reads their outputs. No vscode import.
import { APP_ID_PATTERN } from '../../pipeline/consumer/events';
import { stackPageReadOf, type StackPageSource } from '../aws/stackPages';
import { hasPipelineTag } from '../pipeline/stack';
import type { OnPage } from '../tree/firstPage';

/** The outputs this feature reads. The template may have more. */
export interface PipelineOutputs {
  AlertStateTableName?: string;
  AlertStateIndexName?: string;
  AlertTopicArn?: string;
  InboxQueueUrl?: string;
  ConsumerLogGroupName?: string;
  [key: string]: string | undefined;
}

export interface PipelineStack {
  stackName: string;
  status: string;
  outputs: PipelineOutputs;
}

const GONE = new Set(['DELETE_COMPLETE', 'DELETE_IN_PROGRESS', 'ROLLBACK_COMPLETE', 'CREATE_FAILED', 'ROLLBACK_IN_PROGRESS']);

/**
 * Every live stack tagged as a pipeline (the Pipeline view's tag rule, src/pipeline/stack.ts), newest first.
 * CloudFormation cannot filter by tag, so this reads every DescribeStacks page (through `source`: a client, or a
 * read shared with other views, src/aws/stackPages.ts); `onPage` gets the stacks so far (newest first) after
 * each page that more pages follow.
 */
export async function findPipelineStacks(source: StackPageSource, onPage?: OnPage<PipelineStack>): Promise<PipelineStack[]> {
  const found: (PipelineStack & { created: number })[] = [];
  const newestFirst = () => [...found].sort((a, b) => b.created - a.created).map(({ created: _c, ...rest }) => rest);
  await stackPageReadOf(source)((stacks, more) => {
    for (const s of stacks) {
      if (!s.StackName || GONE.has(s.StackStatus ?? '')) continue;
      if (!hasPipelineTag(s.Tags)) continue;
      const outputs: PipelineOutputs = {};
      for (const o of s.Outputs ?? []) if (o.OutputKey && o.OutputValue) outputs[o.OutputKey] = o.OutputValue;
      found.push({ stackName: s.StackName, status: s.StackStatus ?? '', outputs, created: s.CreationTime?.getTime() ?? 0 });
    }
    if (more) onPage?.(newestFirst());
    // The Alerts view draws from the first page that brought a stack (src/alerts/tree.ts).
    return found.length > 0;
  });
  return newestFirst();
}

/** Every output that names a log group (ConsumerLogGroupName and any other *LogGroupName). */
export function pipelineLogGroups(stacks: readonly PipelineStack[]): string[] {
  const names: string[] = [];
  for (const s of stacks) {
    if (s.outputs.ConsumerLogGroupName) names.push(s.outputs.ConsumerLogGroupName);
    for (const [k, v] of Object.entries(s.outputs)) if (v && /LogGroup(Name)?$/.test(k) && !names.includes(v)) names.push(v);
  }
  return names;
}

/** The Athena table the pipeline's events land in, when its outputs name one. */
export function pipelineEventsTable(outputs: PipelineOutputs): { database: string; table: string; workgroup?: string } | undefined {
  const database = outputs.GlueDatabaseName ?? outputs.DatabaseName ?? outputs.EventsDatabaseName;
  const table = outputs.GlueTableName ?? outputs.EventsTableName ?? outputs.TableName;
  const workgroup = outputs.AthenaWorkGroupName ?? outputs.WorkGroupName ?? outputs.AthenaWorkgroup;
  return database && table ? { database, table, workgroup } : undefined;
}

/** A query the extension generated, and the offset of the statement in it to run. */
export interface GeneratedQuery {
  sql: string;
  /** Where the generated statement starts in `sql`: what runStatementAt gets, never a search in the text. */
  statementOffset: number;
}

/** Glue database and table names as the pipeline template makes them (no quote, space or line break). */
const ATHENA_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,254}$/;

/**
 * Athena SQL for an app's last hour, pruned by the Hive partitions the consumer writes. Pure.
 * The app id comes from an alert, which anyone who may publish to the topic can write: it must be an
 * app id the consumer accepts (letters, digits, . _ -), goes only into a quoted literal, and never
 * into the comment (a line break there would end it and start a statement of the sender's choice).
 */
export function lastHourSql(database: string, table: string, appId: string | undefined, now: Date): GeneratedQuery {
  if (appId !== undefined && !APP_ID_PATTERN.test(appId)) throw new Error('This alert does not name an app id the pipeline accepts; no query was built.');
  if (!ATHENA_NAME.test(database) || !ATHENA_NAME.test(table)) throw new Error('The pipeline stack names an Athena database or table that is not a plain name; no query was built.');
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const from = new Date(now.getTime() - 3_600_000);
  const days = [...new Set([from, now].map((d) => d.toISOString().slice(0, 10)))];
  const partition = days.map((d) => `(year = ${q(d.slice(0, 4))} AND month = ${q(d.slice(5, 7))} AND day = ${q(d.slice(8, 10))})`).join(' OR ');
  const comment = `-- The last hour of ${appId ? 'one app' : 'all apps'}'s events (opened from an alert notification).\n`;
  const statement = [
    `SELECT *`,
    `FROM "${database}"."${table}"`,
    `WHERE (${partition})`,
    appId ? `  AND appid = ${q(appId)}` : undefined,
    // ts: the event time as ISO-8601 UTC text (the pipeline template's events table).
    `  AND ts >= ${q(from.toISOString())}`,
    `ORDER BY ts DESC`,
    `LIMIT 500;`,
    '',
  ].filter((l) => l !== undefined).join('\n');
  return { sql: comment + statement, statementOffset: comment.length };
}
