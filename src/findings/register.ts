import type { Ctx } from '../context';
import { InfoNode } from '../tree/nodes';
import { registerTreeView } from '../tree/view';

/** The Findings view. Until the feature lands it shows an honest empty state, never sample data. */
export function register(ctx: Ctx): void {
  registerTreeView(ctx, 'cloudMonitor.findings', () => [
    new InfoNode('findings/placeholder', 'Not available in this version yet', { icon: 'info', tooltip: 'This view will show Security Hub findings.' }),
  ]);
}
