// Credentials never reach a log: every line written to the log channel passes through redact().

const SECRET_KEYS = [
  'secret_access_key', 'secretAccessKey', 'session_token', 'sessionToken', 'x-amz-security-token',
  // IAM Identity Center (SSO): the cached token file and the OIDC client registration.
  'access_token', 'accessToken', 'refresh_token', 'refreshToken', 'client_secret', 'clientSecret',
  'sso_bearer_token', 'x-amz-sso_bearer_token',
].join('|');

const PATTERNS: [RegExp, string][] = [
  // Access key ids (long-term AKIA, temporary ASIA).
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1****************'],
  // key = value pairs in ini/env/json/header form for secrets, session and SSO tokens
  // (`"accessToken": "…"`, `refresh_token = …`, `x-amz-sso_bearer_token: …`).
  [new RegExp(`((?:aws_)?(?:${SECRET_KEYS})["']?\\s*[:=]\\s*["']?)[^\\s"',}]+`, 'gi'), '$1****'],
  // Authorization headers: Bearer tokens (SSO portal calls) and SigV4 signatures.
  [/(\bBearer\s+)[A-Za-z0-9\-._~+/=:]+/gi, '$1****'],
  [/(Signature=|X-Amz-Signature=)[0-9a-f]{16,}/gi, '$1****'],
  [/(X-Amz-Security-Token=)[^&\s]+/gi, '$1****'],
];

export function redact(text: string): string {
  let out = text;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}
