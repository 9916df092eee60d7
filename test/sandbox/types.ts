// What every sandbox seeder gets. Seeders live in test/sandbox/seed/<feature>.ts and export
// `seed(env: SeedEnv): Promise<void>`; the demo runs them in file-name order, through the AWS APIs only.
export interface SeedEnv {
  /** moto_server's endpoint, e.g. http://127.0.0.1:5000 */
  endpoint: string;
  region: string;
  accountId: string;
  /** Spread into any SDK v3 client constructor. */
  clientConfig: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; forcePathStyle: true };
  /** The folder code-server opens; seeders may write files there (e.g. a .sql file to leave open). */
  workspace: string;
  /** Repository root, for templates/ and dist/. */
  root: string;
  log(msg: string): void;
}

export type Seeder = (env: SeedEnv) => Promise<void>;
