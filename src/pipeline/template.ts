// Reads CloudFormation YAML (short-form intrinsics such as !Ref and !Sub become their long form,
// { Ref: … } and { 'Fn::Sub': … }). No vscode import: used by the deploy core, tests and the sandbox.
import * as yaml from 'js-yaml';

export interface CfnParameter {
  Type: string;
  Default?: string | number;
  Description?: string;
  AllowedValues?: (string | number)[];
  AllowedPattern?: string;
  ConstraintDescription?: string;
  MinValue?: number;
  MaxValue?: number;
  MinLength?: number;
  MaxLength?: number;
  NoEcho?: boolean;
}
export interface CfnResource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  Properties?: Record<string, unknown>;
}
export interface CfnTemplate {
  Description?: string;
  Parameters?: Record<string, CfnParameter>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string; Condition?: string }>;
  Metadata?: Record<string, unknown>;
}

const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or'];

function longForm(tag: string, data: unknown): Record<string, unknown> {
  if (tag === 'Ref' || tag === 'Condition') return { [tag]: data };
  // !GetAtt Resource.Attribute is the scalar form of ['Resource', 'Attribute'].
  if (tag === 'GetAtt' && typeof data === 'string') {
    const dot = data.indexOf('.');
    return { 'Fn::GetAtt': [data.slice(0, dot), data.slice(dot + 1)] };
  }
  return { [`Fn::${tag}`]: data };
}

const types = ['Ref', 'Condition', ...FUNCTIONS].flatMap((tag) =>
  (['scalar', 'sequence', 'mapping'] as const).map((kind) => new yaml.Type(`!${tag}`, { kind, construct: (data: unknown) => longForm(tag, data) })),
);
export const CFN_SCHEMA = yaml.DEFAULT_SCHEMA.extend(types);

export function parseTemplate(text: string): CfnTemplate {
  const doc = yaml.load(text, { schema: CFN_SCHEMA }) as CfnTemplate | undefined;
  if (!doc || typeof doc !== 'object' || !doc.Resources) throw new Error('not a CloudFormation template (no Resources)');
  return doc;
}
