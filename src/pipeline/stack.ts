// What identifies a pipeline stack and what it exposes. No vscode import.

/** Every pipeline stack carries this tag; the Pipeline and Alerts views find stacks by it. */
export const PIPELINE_TAG = { Key: 'cloud-monitor:pipeline', Value: 'true' } as const;

/** The template's outputs (templates/pipeline.yaml), all always present on a deployed stack. */
export const OUTPUT_KEYS = [
  'IngestQueueUrl',
  'IngestQueueArn',
  'DeadLetterQueueUrl',
  'DeadLetterQueueArn',
  'DataBucketName',
  'ResultsBucketName',
  'StatusTableName',
  'AlertStateTableName',
  'AlertStateIndexName',
  'AlertTopicArn',
  'InboxQueueUrl',
  'WorkGroupName',
  'GlueDatabaseName',
  'GlueTableName',
  'ConsumerLogGroupName',
  'ConsumerFunctionName',
] as const;
export type PipelineOutputKey = (typeof OUTPUT_KEYS)[number];
export type PipelineOutputs = Record<PipelineOutputKey, string>;

export function hasPipelineTag(tags: { Key?: string; Value?: string }[] | undefined): boolean {
  return !!tags?.some((t) => t.Key === PIPELINE_TAG.Key && t.Value === PIPELINE_TAG.Value);
}

/** The stack's outputs by key; `missing` lists expected keys the stack does not (yet) report. */
export function readOutputs(outputs: { OutputKey?: string; OutputValue?: string }[] | undefined): { outputs: Partial<PipelineOutputs>; missing: PipelineOutputKey[] } {
  const found: Partial<PipelineOutputs> = {};
  for (const o of outputs ?? []) if (o.OutputKey && o.OutputValue !== undefined && (OUTPUT_KEYS as readonly string[]).includes(o.OutputKey)) found[o.OutputKey as PipelineOutputKey] = o.OutputValue;
  return { outputs: found, missing: OUTPUT_KEYS.filter((k) => found[k] === undefined) };
}
