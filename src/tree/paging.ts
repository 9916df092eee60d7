// Big in-memory lists shown a page at a time: the first `pageSize` rows, then "Load more…" (which shows the
// next page from memory, no AWS call). A view handing VS Code thousands of rows at once makes the extension
// host build and send them all in one go and the tree render them all; a page keeps both short.
// No AWS call here; the caller says what to redraw.
import * as vscode from 'vscode';
import { InfoNode, LoadMoreNode, type TreeNode } from './nodes';

/** Rows a view hands VS Code per page of an in-memory list (buckets of a region, alert states, stacks, findings). */
export const ROWS_PER_PAGE = 100;

export class ShownPages {
  private readonly shown = new Map<string, number>();
  constructor(
    readonly pageSize: number,
    /** Redraws the parent (undefined: the view's roots) after Load more. */
    private readonly redraw: (parent?: TreeNode) => void,
  ) {}

  /** The rows shown so far under `parentId` as nodes, then "Load more…" when more are held. */
  page<T>(parentId: string, items: readonly T[], toNode: (item: T) => TreeNode, parent?: TreeNode): TreeNode[] {
    const count = this.shown.get(parentId) ?? this.pageSize;
    const nodes = items.slice(0, count).map(toNode);
    if (items.length > count) {
      nodes.push(new LoadMoreNode(`${parentId}/more`, async () => {
        this.shown.set(parentId, count + this.pageSize);
        this.redraw(parent);
      }, parent, `${count.toLocaleString('en-US')} of ${items.length.toLocaleString('en-US')} shown`));
    }
    return nodes;
  }

  /** How many rows `parentId` shows (a page until Load more). */
  count(parentId: string): number { return this.shown.get(parentId) ?? this.pageSize; }

  /** Shows at least the first `rows` rows under `parentId` (whole pages), e.g. so reveal finds a row. */
  showAtLeast(parentId: string, rows: number): void {
    const count = this.count(parentId);
    if (rows > count) this.shown.set(parentId, Math.ceil(rows / this.pageSize) * this.pageSize);
  }

  /** Back to one page everywhere (a reload or another connection). */
  reset(): void { this.shown.clear(); }
}

/** The row under a list of pipeline stacks shown from the DescribeStacks pages read so far (src/tree/firstPage.ts). */
export function readingStacksNode(id: string, soFar: number, parent?: TreeNode): TreeNode {
  return new InfoNode(id, vscode.l10n.t('Reading more stacks… ({0} so far)', soFar), {
    icon: 'loading~spin', tooltip: vscode.l10n.t('CloudFormation cannot filter stacks by tag: every DescribeStacks page is read to find the pipeline stacks.'), parent,
  });
}
