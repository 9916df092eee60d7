// A CloudFormation change set as a readable preview. Pure.

export interface ChangeRow {
  action: 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic' | string;
  logicalId: string;
  type: string;
  /** CloudFormation's answer: True, False or Conditional (may replace). */
  replacement?: string;
  /** Properties that change, where CloudFormation says. */
  properties: string[];
}

interface SdkChange {
  Type?: string;
  ResourceChange?: {
    Action?: string;
    LogicalResourceId?: string;
    ResourceType?: string;
    Replacement?: string;
    Details?: { Target?: { Attribute?: string; Name?: string } }[];
  };
}

export function changeRows(changes: SdkChange[] | undefined): ChangeRow[] {
  return (changes ?? [])
    .filter((c) => c.ResourceChange)
    .map((c) => {
      const r = c.ResourceChange!;
      const props = new Set<string>();
      for (const d of r.Details ?? []) if (d.Target?.Name ?? d.Target?.Attribute) props.add((d.Target.Name ?? d.Target.Attribute)!);
      return { action: r.Action ?? '?', logicalId: r.LogicalResourceId ?? '?', type: r.ResourceType ?? '?', replacement: r.Replacement, properties: [...props].sort() };
    });
}

export const isReplacement = (r: ChangeRow) => r.replacement === 'True' || r.replacement === 'Conditional';

/** CloudFormation refuses a change set that changes nothing with status FAILED and one of these reasons. */
export function isNoChangeFailure(status: string | undefined, reason: string | undefined): boolean {
  return status === 'FAILED' && /didn't contain changes|No updates are to be performed/i.test(reason ?? '');
}

export function previewSummary(rows: ChangeRow[]): string {
  const count = (a: string) => rows.filter((r) => r.action === a).length;
  const parts = [`${count('Add')} to add`, `${count('Modify')} to modify`, `${count('Remove')} to remove`];
  const repl = rows.filter(isReplacement).length;
  if (repl) parts.push(`${repl} replaced`);
  return parts.join(', ');
}

/** One line per resource, in a stable order: removals and replacements first, they matter most. */
export function previewLines(rows: ChangeRow[]): string[] {
  const rank = (r: ChangeRow) => (r.action === 'Remove' ? 0 : isReplacement(r) ? 1 : r.action === 'Modify' ? 2 : 3);
  return [...rows]
    .sort((a, b) => rank(a) - rank(b) || a.logicalId.localeCompare(b.logicalId))
    .map((r) => {
      const sign = r.action === 'Add' ? '+' : r.action === 'Remove' ? '-' : '~';
      const repl = r.replacement === 'True' ? ' [REPLACEMENT]' : r.replacement === 'Conditional' ? ' [may be replaced]' : '';
      const props = r.properties.length ? ` (${r.properties.join(', ')})` : '';
      return `${sign} ${r.action} ${r.logicalId}: ${r.type}${repl}${props}`;
    });
}

/** IAM resources (roles, policies, users…): the changes CloudFormation's CAPABILITY_IAM asks to acknowledge. */
export const isIamChange = (r: ChangeRow) => r.type.startsWith('AWS::IAM::');
