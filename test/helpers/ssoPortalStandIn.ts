/**
 * A stand-in for the IAM Identity Center portal API (portal.sso.<region>.amazonaws.com), which moto 5.2.1
 * lacks: ListAccounts (GET /assignment/accounts), ListAccountRoles (GET /assignment/roles) and
 * GetRoleCredentials (GET /federation/credentials), answered from a seeded set of accounts and roles.
 *
 * It answers the way botocore's sso 2019-06-10 model says the portal does:
 *   - each request is checked against the operation's input shape (bearer token header required,
 *     max_result 1..100, account_id and role_name where required); a violation is a 400
 *     InvalidRequestException kept in `rejected`;
 *   - a missing or wrong bearer token is a 401 UnauthorizedException; an account or role not assigned is a
 *     404 ResourceNotFoundException (the model lists no other errors);
 *   - lists page by max_result with an opaque nextToken;
 *   - GetRoleCredentials hands out credentials from `credentials(accountId, roleName)` (the tests assume
 *     the role in moto, so each account's requests land in that account), expiration in epoch milliseconds;
 *   - every answer (body and error) is checked against its output or error shape; a problem there is the
 *     stand-in's own bug, kept in `answerProblems` for the tests to assert empty.
 * Every answer carries the header `x-cloud-monitor-stand-in: 1`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STAND_IN_HEADER } from './contractRecorder';
import { loadAwsModel } from './awsModel';

export interface PortalAccountSeed { accountId: string; accountName: string; emailAddress?: string; roles: string[] }
export interface IssuedCredentials { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number }
export type SsoOperation = 'ListAccounts' | 'ListAccountRoles' | 'GetRoleCredentials';

export interface SsoPortalStandInOptions {
  accounts: PortalAccountSeed[];
  /** The bearer token the portal accepts (what `aws sso login` cached). */
  accessToken: string;
  credentials(accountId: string, roleName: string): Promise<IssuedCredentials>;
  /** Items per page when the client asks for more (default 100, as the model's maximum). */
  pageSize?: number;
}

export interface SsoPortalStandIn {
  url: string;
  requests: { operation: SsoOperation; input: Record<string, unknown> }[];
  rejected: { operation: SsoOperation; problems: string[] }[];
  answerProblems: string[];
  /** Accept a different token from now on (a new sign-in), or none ('' refuses every call). */
  setAccessToken(token: string): void;
  stop(): Promise<void>;
}

const ROUTES: Record<string, SsoOperation> = { '/assignment/accounts': 'ListAccounts', '/assignment/roles': 'ListAccountRoles', '/federation/credentials': 'GetRoleCredentials' };

export async function startSsoPortalStandIn(opts: SsoPortalStandInOptions): Promise<SsoPortalStandIn> {
  const model = loadAwsModel('sso');
  let token = opts.accessToken;
  const requests: SsoPortalStandIn['requests'] = [];
  const rejected: SsoPortalStandIn['rejected'] = [];
  const answerProblems: string[] = [];

  type Answer = { status: number; body: unknown; errorShape?: string };
  const error = (status: number, shape: string, message: string): Answer => ({ status, errorShape: shape, body: { message } });

  function page<T>(items: T[], input: Record<string, unknown>): { items: T[]; nextToken?: string } {
    const size = Math.min(Number(input.maxResults ?? 100), opts.pageSize ?? 100);
    const start = input.nextToken ? Number(Buffer.from(String(input.nextToken), 'base64url').toString('utf8').replace(/^page:/, '')) : 0;
    const end = start + size;
    return { items: items.slice(start, end), nextToken: end < items.length ? Buffer.from(`page:${end}`).toString('base64url') : undefined };
  }

  async function answer(operation: SsoOperation, input: Record<string, unknown>): Promise<Answer> {
    const inputShape = model.operations[operation].input!.shape;
    const problems = model.problems(inputShape, input);
    if (problems.length) {
      rejected.push({ operation, problems });
      // A missing token is the portal's 401, as the CLI sees it; anything else a 400.
      if (!input.accessToken) return error(401, 'UnauthorizedException', 'Session token not found or invalid');
      return error(400, 'InvalidRequestException', problems.join('; '));
    }
    if (!token || input.accessToken !== token) return error(401, 'UnauthorizedException', 'Session token not found or invalid');
    if (operation === 'ListAccounts') {
      const p = page(opts.accounts, input);
      return { status: 200, body: { accountList: p.items.map((a) => ({ accountId: a.accountId, accountName: a.accountName, emailAddress: a.emailAddress ?? `aws+${a.accountId}@example.com` })), ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
    }
    const account = opts.accounts.find((a) => a.accountId === input.accountId);
    if (!account) return error(404, 'ResourceNotFoundException', 'No account assigned to the user with this id');
    if (operation === 'ListAccountRoles') {
      const p = page(account.roles.map((roleName) => ({ roleName, accountId: account.accountId })), input);
      return { status: 200, body: { roleList: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
    }
    if (!account.roles.includes(String(input.roleName))) return error(404, 'ResourceNotFoundException', 'No role assigned to the user with this name');
    return { status: 200, body: { roleCredentials: await opts.credentials(account.accountId, String(input.roleName)) } };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const operation = req.method === 'GET' ? ROUTES[url.pathname] : undefined;
      const send = (status: number, body: unknown, errorType?: string) => {
        res.writeHead(status, { 'content-type': 'application/json', [STAND_IN_HEADER]: '1', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
        res.end(JSON.stringify(body));
      };
      if (!operation) return send(404, { message: `not served by the SSO portal stand-in: ${req.method} ${url.pathname}` }, 'ResourceNotFoundException');
      // The SDK's member names; querystring and header values as the model binds them.
      const q = url.searchParams;
      const header = req.headers['x-amz-sso_bearer_token'];
      const input: Record<string, unknown> = {};
      if (typeof header === 'string') input.accessToken = header;
      if (q.has('max_result')) input.maxResults = Number(q.get('max_result'));
      if (q.has('next_token')) input.nextToken = q.get('next_token');
      if (q.has('account_id')) input.accountId = q.get('account_id');
      if (q.has('role_name')) input.roleName = q.get('role_name');
      requests.push({ operation, input: { ...input, accessToken: input.accessToken ? '(token)' : undefined } });
      answer(operation, input).then((a) => {
        const shape = a.errorShape ?? model.operations[operation].output!.shape;
        for (const p of model.problems(shape, a.body, { wire: true })) answerProblems.push(`${operation}: ${p}`);
        if (a.errorShape && !model.operations[operation].errors?.some((e) => e.shape === a.errorShape)) answerProblems.push(`${operation}: ${a.errorShape} is not one of its errors`);
        send(a.status, a.body, a.errorShape);
      }, (err: unknown) => send(500, { message: String(err) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests, rejected, answerProblems,
    setAccessToken: (t) => { token = t; },
    stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
