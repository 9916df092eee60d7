// Credentials never reach a log: every line written to the log channel passes through redact().

const PATTERNS: [RegExp, string][] = [
  // Access key ids (long-term AKIA, temporary ASIA).
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1****************'],
  // key = value pairs in ini/env/json form for secrets and session tokens.
  [/((?:aws_)?(?:secret_access_key|secretAccessKey|session_token|sessionToken|SecretAccessKey|SessionToken|x-amz-security-token)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1****'],
  // SigV4 signatures in Authorization headers or presigned URLs.
  [/(Signature=|X-Amz-Signature=)[0-9a-f]{16,}/gi, '$1****'],
  [/(X-Amz-Security-Token=)[^&\s]+/gi, '$1****'],
];

export function redact(text: string): string {
  let out = text;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}
