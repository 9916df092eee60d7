// Every DescribeStacks page of a region, read once for everyone who asks while the read runs: the Pipeline view
// and the pipeline lookup of the Alerts and Logs views (src/alerts/pipelines.ts) each find their stacks by tag
// on every page (CloudFormation cannot filter by tag), and with hundreds of stacks each read and parse of the
// pages costs the endpoint and the extension host as much again. Only a read in progress is shared: one asked
// for after it ended reads the pages again, so nobody gets an older list than before. No vscode import.
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';

/**
 * Called with each page: those read so far at once (in order), then each as it comes; `more` whether pages
 * follow. Returns true once the pages so far hold what the reader draws its first rows from (a shared read may
 * then hold the later pages back: SharedStackPages).
 */
export type OnStackPage = (stacks: readonly Stack[], more: boolean) => boolean | void;

/** Reads every page, handing each to `onPage`. */
export type StackPageRead = (onPage: OnStackPage) => Promise<void>;

/** One read of every page through `client`, not shared. `beforeNext`, awaited after each page that more pages follow, can hold the next one back. */
export function readStackPages(client: CloudFormationClient, beforeNext?: () => Promise<void>): StackPageRead {
  return async (onPage) => {
    let token: string | undefined;
    do {
      const page = await client.send(new DescribeStacksCommand({ NextToken: token }));
      token = page.NextToken;
      onPage(page.Stacks ?? [], !!token);
      if (token) await beforeNext?.();
    } while (token);
  };
}

/** A reader of a shared read: whether the pages so far held what it draws its first rows from. */
interface Reader { onPage: OnStackPage; satisfied: boolean }

/** Where pipeline lookups read the pages from: a client (a read of their own) or a read shared with other views. */
export type StackPageSource = CloudFormationClient | StackPageRead;

/** The read of `source`: the shared read as given, or one read of its own through a client. */
export function stackPageReadOf(source: StackPageSource): StackPageRead {
  return typeof source === 'function' ? source : readStackPages(source);
}

export class SharedStackPages {
  private current?: { startedAt: number; pages: { stacks: readonly Stack[]; more: boolean }[]; readers: Set<Reader>; done: Promise<void>; release?: () => void };

  /**
   * `client`: the client of the region the connection is on (asked at each new read). `idle`: settles once the
   * side bar's views drew their first rows (src/tree/rootLoads.ts). Once every reader has what it draws its first
   * rows from, the next page waits for it, so the rest of a long list does not compete with the other views'
   * first requests; a reader that joins without what it needs lets the read go on at once.
   */
  constructor(private readonly client: () => CloudFormationClient, private readonly idle?: () => Promise<void>) {}

  /**
   * Joins the read in progress if it started at `notBefore` (Date.now() ms) or later, its pages so far handed
   * over at once; starts one otherwise. A caller that must see a change it just made passes the time of it.
   */
  read(onPage: OnStackPage, notBefore = 0): Promise<void> {
    let read = this.current;
    if (!read || read.startedAt < notBefore) {
      const pages: { stacks: readonly Stack[]; more: boolean }[] = [];
      const readers = new Set<Reader>();
      const mine: NonNullable<SharedStackPages['current']> = { startedAt: Date.now(), pages, readers, done: Promise.resolve() };
      const beforeNext = async () => {
        if (!this.idle || ![...readers].every((r) => r.satisfied)) return;
        await Promise.race([this.idle(), new Promise<void>((go) => (mine.release = go))]);
        mine.release = undefined;
      };
      mine.done = readStackPages(this.client(), beforeNext)((stacks, more) => {
        pages.push({ stacks, more });
        // A copy: a reader that joins from a listener has had this page handed over already.
        for (const r of [...readers]) r.satisfied = !!r.onPage(stacks, more) || r.satisfied;
      }).finally(() => {
        if (this.current === mine) this.current = undefined;
      });
      read = this.current = mine;
    }
    const reader: Reader = { onPage, satisfied: false };
    for (const p of read.pages) reader.satisfied = !!onPage(p.stacks, p.more) || reader.satisfied;
    read.readers.add(reader);
    if (!reader.satisfied) read.release?.();
    const { readers, done } = read;
    return done.finally(() => readers.delete(reader));
  }

  /** Forgets the read in progress (another profile or region): the next ask reads again. */
  clear(): void {
    this.current = undefined;
  }
}

/** What stackPagesOf needs of the connection (src/aws/connection.ts). */
interface SharingConnection {
  shared<T>(key: string, make: () => T): T;
  client(ctor: typeof CloudFormationClient, opts: { feature: string }): CloudFormationClient;
  readonly rootLoads?: { idle(): Promise<void> };
}

/** The feature the shared read's calls are recorded under in the billing ledger, whichever view asked first. */
export const STACK_PAGES_FEATURE = 'pipeline';

/** The connection's shared read of its region's DescribeStacks pages; `notBefore` as in SharedStackPages.read. */
export function stackPagesOf(connection: SharingConnection, notBefore = 0): StackPageRead {
  const shared = connection.shared('cloudformation:DescribeStacks', () => new SharedStackPages(
    () => connection.client(CloudFormationClient, { feature: STACK_PAGES_FEATURE }),
    connection.rootLoads && (() => connection.rootLoads!.idle()),
  ));
  return (onPage) => shared.read(onPage, notBefore);
}
