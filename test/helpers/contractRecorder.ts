// Test-only: never imported by src/ (test/unit/shippedBundle.test.ts reads dist/ to make sure). Under the test
// flag (CLOUD_MONITOR_CONTRACT_DIR, set by test/run.mjs) every AWS call a test-run process sends is appended as
// one JSON line to a file of its own in that directory, for the contract check (test/zz-contract/contract.test.ts),
// which holds each request to AWS's own API model, and each answer a stand-in gave (marked with the
// STAND_IN_HEADER response header) to the operation's output shape. The extension's own bundle, which carries
// its own SDK copy, hands its Client class to the hook test/helpers/contractPreload.ts installs (CLIENT_HOOK).
// Without the variable nothing is patched and nothing is written. Credentials are never written: members
// that AWS's models mark sensitive are written as { $redacted: length } (SECRET_MEMBERS).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONTRACT_DIR_ENV = 'CLOUD_MONITOR_CONTRACT_DIR';
/** A stand-in (a loopback endpoint answering for AWS) sets this header on the answers it writes itself. */
export const STAND_IN_HEADER = 'x-cloud-monitor-stand-in';

export interface ContractRecord {
  /** The SDK client's name, e.g. 'CloudWatchLogsClient'. */
  client: string;
  /** The operation, e.g. 'GetQueryResults'. */
  op: string;
  /** Who sent it: 'src' or 'pipeline' (shipped code) or 'test' (a test, helper, seeder or bench). */
  by: string;
  input: unknown;
  /** A stand-in's answer: 'http' (a loopback endpoint) or 'mock' (aws-sdk-client-mock). */
  standIn?: 'http' | 'mock';
  /** The answer: the JSON body as sent (wire: true), or the SDK's deserialized output. */
  output?: unknown;
  wire?: boolean;
  /** The error a stand-in answered with. */
  error?: string;
  /** The feature the billing ledger recorded the call under (src/billing/middleware.ts); absent: not in the ledger. */
  ledger?: string;
}

/**
 * Members written as { $redacted: length }, never their value: each string member that AWS's API models mark
 * `sensitive` in the services the tests call (SSO and SSO OIDC tokens, STS and S3 Control session credentials,
 * S3 customer keys, Glue passwords, …), except the texts in SENSITIVE_BUT_NEEDED. Matched by name, any case;
 * test/unit/contractRedaction.test.ts derives the list from botocore's models, so a new one fails there.
 */
export const SECRET_MEMBERS = /^(accessToken|refreshToken|idToken|clientSecret|codeVerifier|assertion|subjectToken|secretAccessKey|sessionToken|accessKeyId|SSECustomerKey|CopySourceSSECustomerKey|SSEKMSEncryptionContext|KMSKeyArn|KMSKeyId|KMSMasterKeyID|KeyId|SSEKMSKeyId|SAMLAssertion|WebIdentityToken|TradeInToken|Password|JwtToken|AuthorizationCode|UserManagedClientApplicationClientSecret|PhoneNumber)$/i;
/**
 * Sensitive members of one client's model whose names are too common to redact in every service (Organizations'
 * account names and e-mails: `Name`, `Id`, `Value` are plain identifiers elsewhere). Redacted in that client's calls.
 */
export const SECRET_MEMBERS_OF_CLIENT: Readonly<Record<string, RegExp>> = {
  OrganizationsClient: /^(AccountName|Email|ManagementAccountEmail|MasterAccountEmail|Notes|SourceName|Name|Id|Value)$/i,
};
/** Sensitive in the models but not credentials, and the check needs them as sent (texts of errors and findings). */
export const SENSITIVE_BUT_NEEDED = ['Description', 'Message', 'ErrorMessage', 'ErrorData', 'ErrorType', 'EvaluationMessage', 'EvaluatedRule', 'InputPayload', 'Payload', 'Result'];

/** Symbol.for() key of the hook a test run's preload sets on globalThis; src/features.ts hands it its SDK Client class. */
export const CLIENT_HOOK = 'cloudMonitor.test.recordSdkClient';

/** JSON for the check: Dates, blobs and streams tagged, since JSON alone would lose what they were; credentials redacted. */
export function encodeValue(v: unknown, depth = 0, client?: string): unknown {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return { $bigint: String(v) };
  if (v instanceof Date) return { $date: Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString() };
  if (v instanceof Uint8Array) return { $blob: v.length };
  if (depth > 60 || typeof v !== 'object') return { $opaque: typeof v };
  if (Array.isArray(v)) return v.map((x) => encodeValue(x, depth + 1, client));
  const o = v as Record<string | symbol, unknown>;
  if (typeof o.pipe === 'function' || typeof o[Symbol.asyncIterator] === 'function' || typeof o.getReader === 'function') return { $stream: true };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    if (x === undefined || k === '$metadata') continue;
    const secret = SECRET_MEMBERS.test(k) || !!(client && SECRET_MEMBERS_OF_CLIENT[client]?.test(k));
    out[k] = typeof x === 'string' && secret ? { $redacted: [...x].length } : encodeValue(x, depth + 1, client);
  }
  return out;
}

export function contractWriter(dir: string, name: string): (r: ContractRecord) => void {
  const file = join(dir, `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.jsonl`);
  return (r) => {
    try {
      appendFileSync(file, `${JSON.stringify(r)}\n`);
    } catch {
      // A test run's recorder never breaks the call it records.
    }
  };
}

interface Stack { add(mw: unknown, opts: { step: string; name: string; priority?: string; override?: boolean }): void }
type Next = (args: { input?: unknown }) => Promise<{ output?: unknown; response?: { statusCode?: number; headers?: Record<string, string>; body?: unknown } }>;
type Context = { clientName?: string; commandName?: string; [k: symbol]: unknown };

const MARK = Symbol.for('cloudMonitor.contractRecorder');
/** src/billing/middleware.ts LEDGER_MARK: set on the call's context by the ledger's middleware. */
const LEDGER_MARK = Symbol.for('cloudMonitor.ledger');
const STAND_IN = Symbol.for('cloudMonitor.contractRecorder.standIn');

/** Adds the recording middleware to a client's stack once. `by()` names the sender of the call in flight. */
export function recordOn(stack: Stack & { [MARK]?: boolean }, write: (r: ContractRecord) => void, by: () => string): void {
  if (stack[MARK]) return;
  stack[MARK] = true;
  // Build step: the input as serialized (after lib-dynamodb's marshalling), the result after deserializing.
  stack.add((next: Next, context: Context) => async (args: { input?: unknown }) => {
    const rec: ContractRecord = { client: context.clientName ?? '?', op: (context.commandName ?? '?').replace(/Command$/, ''), by: by(), input: encodeValue(args.input, 0, context.clientName) };
    if (typeof context[LEDGER_MARK] === 'string') rec.ledger = context[LEDGER_MARK] as string;
    try {
      const result = await next(args);
      const standIn = context[STAND_IN] as { wire?: unknown } | undefined;
      if (standIn) Object.assign(rec, { standIn: 'http', ...('wire' in standIn ? { output: standIn.wire, wire: true } : { output: encodeValue(result.output, 0, context.clientName) }) });
      write(rec);
      return result;
    } catch (err) {
      if (context[STAND_IN]) Object.assign(rec, { standIn: 'http', error: (err as Error)?.name ?? String(err) });
      write(rec);
      throw err;
    }
  }, { step: 'build', name: 'cloudMonitorContractRecorder', override: true });
  // Innermost: the raw answer. A stand-in's JSON body is read here and handed on unchanged, so the check
  // sees the members as sent (the SDK's deserializer silently drops members it does not know).
  stack.add((next: Next, context: Context) => async (args: { input?: unknown }) => {
    const result = await next(args);
    const res = result.response;
    const headers = res?.headers ?? {};
    if (!headers[STAND_IN_HEADER]) return result;
    const mark: { wire?: unknown } = {};
    context[STAND_IN] = mark;
    const type = headers['content-type'] ?? '';
    if ((res!.statusCode ?? 500) < 300 && /json/.test(type) && res!.body && typeof (res!.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
      const chunks: Uint8Array[] = [];
      for await (const c of res!.body as AsyncIterable<Uint8Array>) chunks.push(c);
      const bytes = Buffer.concat(chunks);
      res!.body = new Uint8Array(bytes);
      try {
        mark.wire = bytes.length ? encodeValue(JSON.parse(bytes.toString('utf8')), 0, context.clientName) : {};
      } catch {
        mark.wire = { $unparsable: bytes.length };
      }
    }
    return result;
  }, { step: 'deserialize', name: 'cloudMonitorContractRecorderRaw', priority: 'low', override: true });
}

/**
 * Patches a smithy `Client` class (the bundle's own copy) so that every client made from it records its
 * calls. Returns false when the flag is off (nothing patched).
 */
export function recordAwsCalls(clientClass: { prototype: object }, name: string, by: () => string = () => name, env: NodeJS.ProcessEnv = process.env): boolean {
  const dir = env[CONTRACT_DIR_ENV];
  const proto = clientClass.prototype as { send: (...a: unknown[]) => unknown; [MARK]?: boolean };
  if (!dir || proto[MARK]) return false;
  const write = contractWriter(dir, name);
  const send = proto.send;
  proto.send = function (this: { middlewareStack: Stack }, ...a: unknown[]) {
    recordOn(this.middlewareStack, write, by);
    return send.apply(this, a);
  };
  proto[MARK] = true;
  return true;
}
