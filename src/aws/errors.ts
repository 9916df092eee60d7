// Turns any error from the SDK into something a person can act on. Pure: no vscode import.
import { serviceName } from './serviceNames';

export type AwsErrorKind =
  | 'ssoExpired'
  | 'noCredentials'
  | 'accessDenied'
  | 'throttled'
  | 'network'
  | 'notFound'
  | 'notEnabled'
  | 'invalidInput'
  | 'unsupported'
  | 'other';

export type ErrorAction = 'retry' | 'selectProfile' | 'ssoLogin' | 'selectRegion';

export interface ClassifiedError {
  kind: AwsErrorKind;
  /** One sentence, safe for a toast or a tree item. Never a stack trace. */
  message: string;
  /** The IAM action that was denied, when the error names it. */
  deniedAction?: string;
  actions: ErrorAction[];
  /** The service's own error code, for the log channel. */
  code?: string;
}

/**
 * Which call failed, set on the error (not enumerable) by the ledger middleware every client of the factory
 * has (src/billing/middleware.ts): the service, operation and account, for a message that has nothing better.
 */
export interface FailedCall { service: string; op: string; account?: string }
export const FAILED_CALL = '$cloudMonitorCall';

/** Marks `err` with the call it came from, once (the innermost mark wins). */
export function markFailedCall(err: unknown, call: FailedCall): void {
  if (err && typeof err === 'object' && !(FAILED_CALL in err)) Object.defineProperty(err, FAILED_CALL, { value: call, enumerable: false });
}

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  /** Set on every error the service itself sent (a modelled exception), never on a parser's. */
  $fault?: string;
  cause?: unknown;
  [FAILED_CALL]?: FailedCall;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError', 'RequestTimeout']);
const THROTTLE_CODES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException', 'SlowDown', 'ProvisionedThroughputExceededException', 'RequestThrottled']);
const DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError', 'Forbidden']);
const NO_CREDS_CODES = new Set(['CredentialsProviderError', 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'IncompleteSignature']);

export function errorCode(err: unknown): string | undefined {
  const e = err as SdkLikeError | undefined;
  return e?.name && e.name !== 'Error' ? e.name : (e?.code ?? e?.Code);
}

function rawMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return String((err as SdkLikeError)?.message ?? err);
}

/** First line only, trimmed, so no stack or dump reaches the UI. */
function firstLine(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/**
 * The SDK could not parse the endpoint's answer (JSON.parse or the XML parser on an HTML page, or on an XML
 * error where the service speaks JSON: some emulators answer so): the parser's own text is no message.
 */
const UNREADABLE = /Deserialization error|is not valid JSON|Unexpected token|Unexpected end of JSON|Unexpected non-whitespace|<!doctype|<html/i;

/** "HTTP 403 from Security Hub GetFindings in account 222222222222", as much as is known (the service by its proper name). */
function answerWhere(status: number | undefined, call: FailedCall | undefined): string {
  const parts = [status ? `HTTP ${status}` : undefined, call ? `from ${serviceName(call.service)} ${call.op}` : undefined, call?.account ? `in account ${call.account}` : undefined];
  return parts.filter(Boolean).join(' ');
}

export function classifyAwsError(err: unknown): ClassifiedError {
  const e = (err ?? {}) as SdkLikeError;
  const code = errorCode(err);
  const msg = firstLine(rawMessage(err));
  const status = e.$metadata?.httpStatusCode;
  const causeCode = (e.cause as { code?: string } | undefined)?.code;

  // Before anything that reads the message: it is the parser's, not the service's. A service's own error
  // ($fault set) keeps its message, even one that speaks of an unexpected token (a query's syntax, say).
  if (code === 'SyntaxError' || (!e.$fault && UNREADABLE.test(msg))) {
    const where = answerWhere(status, e[FAILED_CALL]);
    if (status === 401 || status === 403) {
      // What matters first is the denial: the status says it, though the answer's text could not be read.
      return { kind: 'accessDenied', code, message: `Access denied (${where}): the endpoint's answer could not be read (it was not in the service's format), but its status says access was denied.`, actions: ['selectProfile', 'retry'] };
    }
    const lead = `The endpoint's answer could not be read${where ? ` (${where})` : ''}`;
    if (status === 404 || !status) {
      return { kind: 'unsupported', code, message: `${lead}: it did not answer like AWS, and probably does not support this operation (local emulators lack some).`, actions: ['retry'] };
    }
    return { kind: 'other', code, message: `${lead}: it was not in the service's format, so what went wrong is unknown. Retry, or check the endpoint.`, actions: ['retry'] };
  }

  if (code === 'NotConnected') {
    return { kind: 'noCredentials', code, message: 'Select an AWS profile and region to connect.', actions: ['selectProfile', 'selectRegion'] };
  }
  if (/sso/i.test(msg) && /(expired|refresh|token)/i.test(msg)) {
    return { kind: 'ssoExpired', code, message: 'Your SSO session has expired or was never started. Sign in with SSO to continue.', actions: ['ssoLogin', 'selectProfile', 'retry'] };
  }
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException' || code === 'RequestExpired') {
    return { kind: 'ssoExpired', code, message: 'Your AWS credentials have expired. Refresh them (for SSO: sign in again) and retry.', actions: ['ssoLogin', 'selectProfile', 'retry'] };
  }
  if (code && NO_CREDS_CODES.has(code) || /could not load credentials|credentials? (is|are) missing|Unable to find.*(profile|credentials)|Profile .* could not be found/i.test(msg)) {
    return { kind: 'noCredentials', code, message: `No usable AWS credentials for this profile: ${msg}`, actions: ['selectProfile', 'retry'] };
  }
  if ((code && DENIED_CODES.has(code)) || status === 403) {
    const denied = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(msg)?.[1];
    return {
      kind: 'accessDenied',
      code,
      deniedAction: denied,
      message: denied ? `Access denied: your identity may not call ${denied}.` : `Access denied: ${msg}`,
      actions: ['selectProfile', 'retry'],
    };
  }
  if ((code && THROTTLE_CODES.has(code)) || e.$retryable?.throttling || status === 429) {
    return { kind: 'throttled', code, message: 'AWS is throttling requests. Wait a moment, then retry.', actions: ['retry'] };
  }
  if ((code && NETWORK_CODES.has(code)) || (causeCode && NETWORK_CODES.has(causeCode)) || /ECONNREFUSED|ENOTFOUND|getaddrinfo|socket hang up|network/i.test(msg)) {
    return { kind: 'network', code: code ?? causeCode, message: 'Cannot reach AWS: check your network, VPN or endpoint setting, then retry.', actions: ['retry'] };
  }
  if (code === 'SubscriptionRequiredException' || code === 'InvalidAccessException' || /not subscribed|is not enabled/i.test(msg)) {
    return { kind: 'notEnabled', code, message: msg, actions: ['retry'] };
  }
  if (code && /NotFound|NoSuch/.test(code)) {
    return { kind: 'notFound', code, message: msg, actions: ['retry'] };
  }
  if (code && /Validation|InvalidParameter|InvalidRequest/.test(code)) {
    return { kind: 'invalidInput', code, message: msg, actions: [] };
  }
  return { kind: 'other', code, message: msg || 'Unknown error', actions: ['retry'] };
}
