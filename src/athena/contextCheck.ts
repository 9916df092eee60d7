// Does the workgroup or database a query names still exist? Asked when a run fails (a pipeline's
// workgroup and database go with its stack) or on request. No vscode import.
import { GetDatabaseCommand, GetWorkGroupCommand, type AthenaClient } from '@aws-sdk/client-athena';
import { errorCode } from '../aws/errors';
import type { ContextKey } from './contextHeader';

export interface MissingContext { key: Extract<ContextKey, 'workgroup' | 'database'>; name: string }

const NOT_FOUND = /not found|does not exist|no such/i;
/** How a failure names a missing database: Athena's SCHEMA_NOT_FOUND, Glue's EntityNotFoundException. */
const DATABASE_HINT = /SCHEMA_NOT_FOUND|Schema .* does not exist|Database .* not found|EntityNotFound/i;

export class WorkgroupNotFoundError extends Error {
  override name = 'WorkgroupNotFound';
  constructor(readonly workgroup: string) { super(`Workgroup "${workgroup}" does not exist.`); }
}

/** True when GetWorkGroup says the workgroup is gone (Athena: InvalidRequestException; emulators: no WorkGroup). */
export async function workgroupExists(athena: AthenaClient, workgroup: string): Promise<boolean> {
  try {
    const res = await athena.send(new GetWorkGroupCommand({ WorkGroup: workgroup }));
    return !!res.WorkGroup;
  } catch (err) {
    if (errorCode(err) === 'InvalidRequestException' && NOT_FOUND.test(err instanceof Error ? err.message : '')) return false;
    throw err;
  }
}

async function databaseExists(athena: AthenaClient, catalog: string, database: string): Promise<boolean> {
  try {
    await athena.send(new GetDatabaseCommand({ CatalogName: catalog, DatabaseName: database }));
    return true;
  } catch (err) {
    const code = errorCode(err) ?? '';
    const message = err instanceof Error ? err.message : '';
    if (code === 'MetadataException' || code === 'EntityNotFoundException' || (code === 'InvalidRequestException' && NOT_FOUND.test(message))) return NOT_FOUND.test(message) ? false : true;
    throw err;
  }
}

/**
 * What of the context is gone. The workgroup is always checked; the database only when the failure
 * points at it (a catalog's databases may be listed elsewhere than Athena looks for them).
 */
export async function findMissingContext(athena: AthenaClient, ctx: { workgroup: string; catalog: string; database: string }, failure: string): Promise<MissingContext[]> {
  const missing: MissingContext[] = [];
  if (!(await workgroupExists(athena, ctx.workgroup).catch(() => true))) missing.push({ key: 'workgroup', name: ctx.workgroup });
  if (ctx.database && DATABASE_HINT.test(failure) && !(await databaseExists(athena, ctx.catalog, ctx.database).catch(() => true))) missing.push({ key: 'database', name: ctx.database });
  return missing;
}
