/**
 * AWS's own API models, as botocore ships them (botocore comes with moto, so every machine that runs
 * the integration tests has them). Stand-ins that answer what moto lacks check what the SDK sends,
 * and what they answer, against the model's shapes, so a stand-in cannot drift from AWS's API:
 *
 *   const model = loadAwsModel('logs');
 *   model.problems('GetQueryResultsRequest', input)   // [] when the input fits the shape
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

interface Shape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  enum?: string[];
  eventstream?: boolean;
  exception?: boolean;
  /** A free-form JSON document (e.g. Security Hub's OcsfFinding): no members to check. */
  document?: boolean;
}

export interface AwsModel {
  metadata: { apiVersion: string; targetPrefix?: string; protocol: string };
  operations: Record<string, { input?: { shape: string }; output?: { shape: string }; endpoint?: { hostPrefix?: string } }>;
  shape(name: string): Shape;
  /** Every way `value` departs from shape `name`: unknown members, missing required ones, out-of-range numbers, over-long strings, enum misses. */
  problems(name: string, value: unknown): string[];
}

let botocoreDir: string | undefined;

function botocoreDataDir(): string {
  botocoreDir ??= execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim();
  return join(botocoreDir, 'data');
}

/** The newest API version of `service` (botocore's directory name, e.g. 'logs', 'athena'). */
export function loadAwsModel(service: string): AwsModel {
  const dir = join(botocoreDataDir(), service);
  const version = readdirSync(dir).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort().at(-1);
  if (!version) throw new Error(`no API model for ${service} in ${dir}`);
  const raw = JSON.parse(gunzipSync(readFileSync(join(dir, version, 'service-2.json.gz'))).toString('utf8')) as {
    metadata: AwsModel['metadata']; operations: AwsModel['operations']; shapes: Record<string, Shape>;
  };
  const shape = (name: string): Shape => {
    const s = raw.shapes[name];
    if (!s) throw new Error(`no shape ${name} in the ${service} model`);
    return s;
  };
  const check = (name: string, value: unknown, path: string, out: string[]): void => {
    if (value === undefined || value === null) return;
    const s = shape(name);
    switch (s.type) {
      case 'structure': {
        if (typeof value !== 'object' || Array.isArray(value)) { out.push(`${path}: not an object`); return; }
        if (s.document) return;
        const v = value as Record<string, unknown>;
        for (const k of Object.keys(v)) if (!s.members?.[k]) out.push(`${path}.${k}: not a member of ${name}`);
        for (const r of s.required ?? []) if (v[r] === undefined) out.push(`${path}.${r}: required by ${name}`);
        for (const [k, m] of Object.entries(s.members ?? {})) check(m.shape, v[k], `${path}.${k}`, out);
        return;
      }
      case 'list':
        if (!Array.isArray(value)) { out.push(`${path}: not a list`); return; }
        if (s.min !== undefined && value.length < s.min) out.push(`${path}: ${value.length} items, fewer than ${s.min}`);
        if (s.max !== undefined && value.length > s.max) out.push(`${path}: ${value.length} items, more than ${s.max}`);
        value.forEach((item, i) => check(s.member!.shape, item, `${path}[${i}]`, out));
        return;
      case 'integer':
      case 'long':
        if (typeof value !== 'number' || !Number.isInteger(value)) { out.push(`${path}: not an integer`); return; }
        if (s.min !== undefined && value < s.min) out.push(`${path}: ${value} is below ${name}'s minimum ${s.min}`);
        if (s.max !== undefined && value > s.max) out.push(`${path}: ${value} is above ${name}'s maximum ${s.max}`);
        return;
      case 'string':
        if (typeof value !== 'string') { out.push(`${path}: not a string`); return; }
        if (s.min !== undefined && value.length < s.min) out.push(`${path}: shorter than ${s.min}`);
        if (s.max !== undefined && value.length > s.max) out.push(`${path}: longer than ${s.max}`);
        if (s.enum && !s.enum.includes(value)) out.push(`${path}: '${value}' is not one of ${name}'s values`);
        return;
      default:
        return;
    }
  };
  return {
    metadata: raw.metadata,
    operations: raw.operations,
    shape,
    problems(name, value) {
      const out: string[] = [];
      check(name, value, name, out);
      return out;
    },
  };
}
