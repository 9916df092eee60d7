/**
 * AWS's own API models, as botocore ships them (botocore comes with moto, so every machine that runs
 * the integration tests has them). Stand-ins that answer what moto lacks check what the SDK sends,
 * and what they answer, against the model's shapes, so a stand-in cannot drift from AWS's API; the
 * contract check (test/zz-contract/contract.test.ts) does the same for every call a test run recorded:
 *
 *   const model = loadAwsModel('logs');
 *   model.problems('GetQueryResultsRequest', input)   // [] when the input fits the shape
 *   model.violations('GetQueryResultsResponse', body, { wire: true })  // [{ path, rule, detail }]
 *
 * Rules: required members, unknown members, member types (string, integer/long, double/float, boolean,
 * timestamp, blob, list, map, structure, union, document), enums, min/max (numbers, string and blob
 * lengths, list and map sizes) and patterns. Some model patterns are Java regular expressions that
 * JavaScript cannot compile: those are skipped and listed in `skippedPatterns`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

interface Member { shape: string; location?: string; locationName?: string; idempotencyToken?: boolean; streaming?: boolean; eventpayload?: boolean }

export interface Shape {
  type: string;
  members?: Record<string, Member>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  enum?: string[];
  pattern?: string;
  union?: boolean;
  document?: boolean;
  payload?: string;
  streaming?: boolean;
  eventstream?: boolean;
  exception?: boolean;
}

export type Rule = 'type' | 'required' | 'unknown member' | 'enum' | 'min' | 'max' | 'pattern' | 'union';

export interface Violation {
  /** Where, from the shape's name: `GetFindingsRequest.Filters.SeverityLabel[0].Value`. */
  path: string;
  rule: Rule;
  detail: string;
}

export interface CheckOptions {
  /**
   * The value is a JSON body as sent on the wire (not the SDK's input or output object): members are
   * named by their `locationName`, members bound to headers, the URI or the status code are not in it,
   * and a shape with a `payload` member is the payload alone.
   */
  wire?: boolean;
}

export interface AwsModel {
  metadata: { apiVersion: string; targetPrefix?: string; protocol: string; serviceId?: string };
  operations: Record<string, { input?: { shape: string }; output?: { shape: string }; errors?: { shape: string }[]; endpoint?: { hostPrefix?: string } }>;
  shape(name: string): Shape;
  /** Every way `value` departs from shape `name`, as `path: what` lines (what: the violation's detail). [] when it fits. */
  problems(name: string, value: unknown, opts?: CheckOptions): string[];
  violations(name: string, value: unknown, opts?: CheckOptions): Violation[];
  /** Shapes whose pattern JavaScript cannot compile (Java-only syntax): not checked. */
  skippedPatterns: Set<string>;
}

let botocoreDir: string | undefined;

function botocoreDataDir(): string {
  botocoreDir ??= execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim();
  return join(botocoreDir, 'data');
}

/** A model pattern as a JavaScript RegExp, or undefined when it uses Java-only syntax. Not anchored: AWS's patterns say so themselves. */
export function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    // Without the u flag \p{…} would silently mean "p{…}": such a pattern is skipped, not misread.
    if (/\\[pP]\{/.test(pattern)) return undefined;
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

/** Values as the contract recorder writes them (test/helpers/contractRecorder.ts encodeValue) or as they are. */
function tagged(v: unknown): { date?: boolean; blob?: boolean; stream?: boolean; bigint?: boolean; redacted?: number } {
  if (v instanceof Date) return { date: true };
  if (v instanceof Uint8Array) return { blob: true };
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if ('$date' in o) return { date: true };
    if ('$blob' in o) return { blob: true };
    if ('$stream' in o) return { stream: true };
    if ('$bigint' in o) return { bigint: true };
    if (typeof o.$redacted === 'number') return { redacted: o.$redacted };
  }
  return {};
}

const models = new Map<string, AwsModel>();

/** The newest API version of `service` (botocore's directory name, e.g. 'logs', 'athena'). */
export function loadAwsModel(service: string): AwsModel {
  const known = models.get(service);
  if (known) return known;
  const dir = join(botocoreDataDir(), service);
  const version = readdirSync(dir).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort().at(-1);
  if (!version) throw new Error(`no API model for ${service} in ${dir}`);
  const raw = JSON.parse(gunzipSync(readFileSync(join(dir, version, 'service-2.json.gz'))).toString('utf8')) as RawModel;
  const model = awsModelFrom(raw);
  models.set(service, model);
  return model;
}

export interface RawModel { metadata: AwsModel['metadata']; operations: AwsModel['operations']; shapes: Record<string, Shape> }

/** The checker over a model already parsed (botocore's service-2.json, or a small one written for a test). */
export function awsModelFrom(raw: RawModel): AwsModel {
  const shape = (name: string): Shape => {
    const s = raw.shapes[name];
    if (!s) throw new Error(`no shape ${name} in the ${raw.metadata.serviceId ?? 'API'} model`);
    return s;
  };
  const skippedPatterns = new Set<string>();
  const patterns = new Map<string, RegExp | undefined>();
  const patternOf = (name: string, s: Shape): RegExp | undefined => {
    if (!patterns.has(name)) {
      const re = compilePattern(s.pattern!);
      if (!re) skippedPatterns.add(name);
      patterns.set(name, re);
    }
    return patterns.get(name);
  };
  // Query and XML protocols name members the same on the wire; JSON ones use locationName where given.
  const jsonWire = /json/.test(raw.metadata.protocol);
  const wireName = (k: string, m: Member) => (jsonWire && m.locationName ? m.locationName : k);

  const check = (name: string, value: unknown, path: string, out: Violation[], opts: CheckOptions): void => {
    if (value === undefined || value === null) return;
    const s = shape(name);
    const v = (rule: Rule, detail: string, at = path): void => void out.push({ path: at, rule, detail });
    const size = (n: number, what: string) => {
      if (s.min !== undefined && n < s.min) v('min', `${n} ${what}, fewer than ${s.min} (${name})`);
      if (s.max !== undefined && n > s.max) v('max', `${n} ${what}, more than ${s.max} (${name})`);
    };
    const t = tagged(value);
    if (s.eventstream) return; // an event stream is read item by item, not a value
    if (s.document) return; // any JSON
    switch (s.type) {
      case 'structure': {
        if (typeof value !== 'object' || Array.isArray(value) || t.date || t.blob || t.stream) return v('type', `not a structure (${name})`);
        const o = value as Record<string, unknown>;
        const members = Object.entries(s.members ?? {});
        const inBody = opts.wire ? members.filter(([, m]) => !m.location) : members;
        const byName = new Map(inBody.map(([k, m]) => [opts.wire ? wireName(k, m) : k, { k, m }]));
        for (const key of Object.keys(o)) {
          if (o[key] === undefined) continue;
          // The SDK's deserializer puts what a union member it does not know into $unknown.
          if (key === '$unknown' && s.union) continue;
          if (!byName.has(key)) v('unknown member', `not a member of ${name}`, `${path}.${key}`);
        }
        for (const r of s.required ?? []) {
          const m = s.members?.[r];
          if (!m || m.idempotencyToken || (opts.wire && m.location)) continue;
          if (o[opts.wire ? wireName(r, m) : r] === undefined) v('required', `required by ${name}`, `${path}.${r}`);
        }
        if (s.union) {
          const set = Object.keys(o).filter((k) => o[k] !== undefined && byName.has(k));
          if (set.length !== 1) v('union', `${name} is a union: exactly one member is set, not ${set.length}`);
        }
        for (const [key, { m }] of byName) check(m.shape, o[key], `${path}.${key}`, out, { ...opts, wire: opts.wire });
        return;
      }
      case 'list':
        if (!Array.isArray(value)) return v('type', `not a list (${name})`);
        size(value.length, 'items');
        value.forEach((item, i) => check(s.member!.shape, item, `${path}[${i}]`, out, opts));
        return;
      case 'map': {
        if (typeof value !== 'object' || Array.isArray(value) || t.date || t.blob) return v('type', `not a map (${name})`);
        const entries = Object.entries(value as Record<string, unknown>);
        size(entries.length, 'entries');
        for (const [k, x] of entries) {
          check(s.key!.shape, k, `${path}{${k}}`, out, opts);
          check(s.value!.shape, x, `${path}.${k}`, out, opts);
        }
        return;
      }
      case 'integer':
      case 'long':
        if (t.bigint) return;
        if (typeof value !== 'number' || !Number.isInteger(value)) return v('type', `not an integer: ${JSON.stringify(value)?.slice(0, 40)} (${name})`);
        if (s.min !== undefined && value < s.min) v('min', `${value} is below ${name}'s minimum ${s.min}`);
        if (s.max !== undefined && value > s.max) v('max', `${value} is above ${name}'s maximum ${s.max}`);
        return;
      case 'double':
      case 'float':
        // JSON carries NaN and the infinities as strings.
        if (typeof value !== 'number' && !(typeof value === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(value))) return v('type', `${JSON.stringify(value)} is not a number (${name})`);
        if (typeof value === 'number' && s.min !== undefined && value < s.min) v('min', `${value} is below ${name}'s minimum ${s.min}`);
        if (typeof value === 'number' && s.max !== undefined && value > s.max) v('max', `${value} is above ${name}'s maximum ${s.max}`);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') v('type', `${JSON.stringify(value)} is not a boolean (${name})`);
        return;
      case 'timestamp':
        // The SDK takes and gives Dates; on the wire JSON carries epoch seconds or an ISO 8601 string.
        if (t.date) return;
        if (typeof value === 'number' && Number.isFinite(value)) return;
        if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return;
        return v('type', `${JSON.stringify(value)} is not a timestamp (${name})`);
      case 'blob':
        if (t.blob || t.stream) {
          const n = (value as { $blob?: number; length?: number }).$blob ?? (value as Uint8Array).length;
          if (typeof n === 'number') size(n, 'bytes');
          return;
        }
        if (typeof value === 'string') return size(opts.wire ? Buffer.from(value, 'base64').length : Buffer.byteLength(value), 'bytes');
        return v('type', `not a blob (${name})`);
      case 'string': {
        // A credential the recorder did not write: only its length is known.
        if (t.redacted !== undefined) return size(t.redacted, 'characters');
        if (typeof value !== 'string') return v('type', `not a string: ${JSON.stringify(value)?.slice(0, 40)} (${name})`);
        // Lengths count characters (code points), as AWS's validation does.
        const length = [...value].length;
        if (s.min !== undefined && length < s.min) v('min', `shorter than ${s.min} (${length} characters, ${name})`);
        if (s.max !== undefined && length > s.max) v('max', `longer than ${s.max} (${length} characters, ${name})`);
        if (s.enum && !s.enum.includes(value)) v('enum', `'${value.slice(0, 60)}' is not one of ${name}'s values (${s.enum.slice(0, 8).join(', ')}${s.enum.length > 8 ? ', …' : ''})`);
        if (s.pattern) {
          const re = patternOf(name, s);
          if (re && !re.test(value)) v('pattern', `'${value.slice(0, 60)}' does not match ${name}'s pattern ${s.pattern}`);
        }
        return;
      }
      default:
        return;
    }
  };
  const violations = (name: string, value: unknown, opts: CheckOptions = {}): Violation[] => {
    const out: Violation[] = [];
    const s = shape(name);
    // A wire body of an output with a payload member is that member's value.
    if (opts.wire && s.payload && s.members?.[s.payload]) check(s.members[s.payload].shape, value, `${name}.${s.payload}`, out, opts);
    else check(name, value, name, out, opts);
    return out;
  };
  const model: AwsModel = {
    metadata: raw.metadata,
    operations: raw.operations,
    shape,
    skippedPatterns,
    violations,
    problems: (name, value, opts) => violations(name, value, opts).map((x) => `${x.path}: ${x.detail}`),
  };
  return model;
}
