// The template parameters the deploy command asks for, their defaults and their validation. Pure:
// the prompts in prompts.ts render these specs.
import type { CfnParameter, CfnTemplate } from './template';

/** Parameters the user is asked for, in order; every other parameter keeps its remembered or default value. */
export const PROMPTED = [
  'AlertEmail',
  'DebounceMinutes',
  'LogRetentionDays',
  'TransitionToInfrequentAccessDays',
  'TransitionToGlacierIrDays',
  'ExpireDataAfterDays',
  'BytesScannedCutoffPerQuery',
] as const;

/** Filled in by the deploy itself, never asked. */
export const MANAGED = new Set(['ConsumerCodeBucket', 'ConsumerCodeKey', 'ConsumerCodeVersion']);

export interface ParamSpec {
  key: string;
  description: string;
  default: string;
  /** A fixed list (the prompt becomes a pick list). */
  allowed?: string[];
  numeric: boolean;
  optional: boolean;
  raw: CfnParameter;
}

export function paramSpecs(template: CfnTemplate): ParamSpec[] {
  return Object.entries(template.Parameters ?? {})
    .filter(([key]) => !MANAGED.has(key))
    .map(([key, p]) => ({
      key,
      description: p.Description ?? key,
      default: p.Default === undefined ? '' : String(p.Default),
      allowed: p.AllowedValues?.map(String),
      numeric: p.Type === 'Number',
      optional: p.Default === '',
      raw: p,
    }));
}

/** Why a value is refused by the parameter's own constraints, or undefined. */
export function paramProblem(spec: ParamSpec, value: string): string | undefined {
  const p = spec.raw;
  if (spec.allowed && !spec.allowed.includes(value)) return `Choose one of ${spec.allowed.join(', ')}.`;
  if (spec.numeric) {
    if (!/^-?\d+(\.\d+)?$/.test(value.trim())) return 'Enter a number.';
    const n = Number(value);
    if (p.MinValue !== undefined && n < p.MinValue) return `At least ${p.MinValue}.`;
    if (p.MaxValue !== undefined && n > p.MaxValue) return `At most ${p.MaxValue}.`;
    return undefined;
  }
  if (p.MinLength !== undefined && value.length < p.MinLength) return `At least ${p.MinLength} characters.`;
  if (p.MaxLength !== undefined && value.length > p.MaxLength) return `At most ${p.MaxLength} characters.`;
  if (p.AllowedPattern && !new RegExp(p.AllowedPattern).test(value)) return p.ConstraintDescription ? `Must be ${p.ConstraintDescription}.` : `Must match ${p.AllowedPattern}.`;
  return undefined;
}

/** Rules that span parameters (S3 lifecycle: 30 days in Standard-IA before Glacier IR, whose minimum is 90 days). */
export function crossParamProblems(values: Record<string, string>): { key: string; message: string }[] {
  const n = (k: string) => (values[k] === undefined || values[k] === '' ? undefined : Number(values[k]));
  const ia = n('TransitionToInfrequentAccessDays');
  const gir = n('TransitionToGlacierIrDays');
  const exp = n('ExpireDataAfterDays');
  const out: { key: string; message: string }[] = [];
  if (ia !== undefined && gir !== undefined && gir < ia + 30) out.push({ key: 'TransitionToGlacierIrDays', message: `Glacier IR transition (${gir} days) must come at least 30 days after the Standard-IA transition (${ia} days).` });
  if (gir !== undefined && exp !== undefined && exp < gir + 90) out.push({ key: 'ExpireDataAfterDays', message: `Expiry (${exp} days) must come at least 90 days after the Glacier IR transition (${gir} days).` });
  return out;
}

/**
 * The values to deploy: template defaults, overridden by what was remembered, then by the answers.
 * Unknown keys (a parameter removed from the template) are dropped.
 */
export function resolveParams(specs: ParamSpec[], remembered: Record<string, string> = {}, answers: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of specs) out[s.key] = answers[s.key] ?? remembered[s.key] ?? s.default;
  return out;
}

/** The key under which answers are remembered. */
export const answersKey = (accountId: string, region: string) => `${accountId}/${region}`;
