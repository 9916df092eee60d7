// The proper names of the services the extension calls, by the short name the ledger keys them with
// (src/billing/prices.ts SERVICE_OF_CLIENT): what a message shows ("Security Hub", not "securityhub").
// No vscode import.

const SERVICE_NAMES: Readonly<Record<string, string>> = {
  athena: 'Athena', ce: 'Cost Explorer', cloudformation: 'CloudFormation', cloudwatch: 'CloudWatch', dynamodb: 'DynamoDB',
  glue: 'Glue', logs: 'CloudWatch Logs', organizations: 'Organizations', s3: 'S3', s3control: 'S3', securityhub: 'Security Hub',
  sqs: 'SQS', sso: 'IAM Identity Center', 'sso-oidc': 'IAM Identity Center', sts: 'STS',
};

/** "Security Hub" for `securityhub`; a short name without an entry is shown as it is. */
export function serviceName(short: string): string {
  return SERVICE_NAMES[short] ?? short;
}
