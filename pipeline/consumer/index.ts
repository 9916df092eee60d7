// Lambda entry point (runtime nodejs24.x, handler index.handler). Bundled by esbuild.mjs into
// dist/pipeline/consumer.zip. Settings come from the environment the template sets (see config.ts).
import { createClients } from './aws';
import type { BatchResponse, SqsEvent } from './batch';
import { configFromEnv } from './config';
import { createHandler } from './handler';

let handle: ((event: SqsEvent) => Promise<BatchResponse>) | undefined;

export async function handler(event: SqsEvent): Promise<BatchResponse> {
  // Created on the first invocation and reused while the execution environment lives.
  handle ??= createHandler({ clients: createClients(), config: configFromEnv(process.env) });
  return handle(event);
}
