// Loaded into every node process of a test run (test/run.mjs puts `--require` of this file's bundle in
// NODE_OPTIONS, next to CLOUD_MONITOR_CONTRACT_DIR): test files, the consumer run in-process, the sandbox
// seeder and stand-ins, benches, code-server and its extension host. It records, for the contract check
// (test/zz-contract/contract.test.ts):
//   - every call any SDK v3 client of node_modules sends (the shared smithy Client's send): the tests'
//     copies of src/ and pipeline/, helpers, seeders; with who sent it ('src', 'pipeline' or 'test', from
//     the caller's source-mapped stack) and, when a stand-in answered (STAND_IN_HEADER), the answer;
//   - every call an aws-sdk-client-mock stub answered (sinon stubs `send`, so the SDK never runs): the
//     input and the fixture the stub resolved with, a stand-in's answer like any other.
// The extension's own bundle carries its own SDK copy: src/features.ts hands its Client class to the hook this
// file sets on globalThis (CLIENT_HOOK), which records its calls under 'extension'. Shipped code holds no recorder.
import { AsyncLocalStorage } from 'node:async_hooks';
import Module from 'node:module';
import { CLIENT_HOOK, CONTRACT_DIR_ENV, contractWriter, encodeValue, recordAwsCalls, recordOn, type ContractRecord } from './contractRecorder';
import { caller } from './contractCaller';

type SendFn = (this: { middlewareStack: Parameters<typeof recordOn>[0] }, ...a: unknown[]) => unknown;
const PATCHED = Symbol.for('cloudMonitor.contractRecorder');

function install(dir: string): void {
  const write = contractWriter(dir, 'node');
  const sender = new AsyncLocalStorage<string>();
  const by = () => sender.getStore() ?? 'test';

  const patchClient = (Client: { prototype: { send: SendFn; [PATCHED]?: boolean } }) => {
    const proto = Client.prototype;
    if (proto[PATCHED]) return;
    proto[PATCHED] = true;
    const send = proto.send;
    proto.send = function (...a: unknown[]) {
      recordOn(this.middlewareStack, write, by);
      return sender.run(caller(), () => send.apply(this, a));
    };
  };

  // aws-sdk-client-mock replaces `send` with a sinon stub: wrap the stub's invoke, which every call of the
  // stub goes through, so restore(), withArgs() and the mock's own behaviours stay as they are.
  const patchSinon = (sinon: { stub: (...a: unknown[]) => unknown; [PATCHED]?: boolean }) => {
    if (sinon[PATCHED]) return;
    sinon[PATCHED] = true;
    const stub = sinon.stub;
    sinon.stub = function (this: unknown, ...a: unknown[]) {
      const s = stub.apply(this, a) as { invoke?: (func: unknown, thisValue: unknown, args: unknown[]) => unknown };
      const [target, property] = a as [{ constructor?: { name?: string }; send?: unknown } | undefined, unknown];
      const client = target?.constructor?.name ?? '';
      if (property === 'send' && /Client$/.test(client) && typeof s?.invoke === 'function') {
        const invoke = s.invoke;
        s.invoke = function (this: unknown, func: unknown, thisValue: unknown, args: unknown[]) {
          const command = args[0] as { input?: unknown; constructor?: { name?: string } } | undefined;
          const rec: ContractRecord = { client, op: (command?.constructor?.name ?? '?').replace(/Command$/, ''), by: caller(), input: encodeValue(command?.input, 0, client), standIn: 'mock' };
          const r = invoke.call(this, func, thisValue, args);
          Promise.resolve(r).then(
            (output) => write({ ...rec, output: encodeValue(output, 0, client) }),
            (err: unknown) => write({ ...rec, error: (err as Error)?.name ?? String(err) }),
          );
          return r;
        };
      }
      return s;
    };
  };

  const M = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const load = M._load;
  M._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
    const exports = load.call(this, request, parent, isMain) as Record<string, unknown> | undefined;
    if (request === 'sinon' && exports && typeof exports.stub === 'function') patchSinon(exports as Parameters<typeof patchSinon>[0]);
    else if (request.startsWith('@smithy/') && exports && typeof (exports.Client as { prototype?: { send?: unknown } } | undefined)?.prototype?.send === 'function') patchClient(exports.Client as Parameters<typeof patchClient>[0]);
    return exports;
  };
}

const dir = process.env[CONTRACT_DIR_ENV];
if (dir) {
  install(dir);
  (globalThis as Record<symbol, unknown>)[Symbol.for(CLIENT_HOOK)] = (Client: { prototype: object }) => recordAwsCalls(Client, 'extension', () => 'src');
}
