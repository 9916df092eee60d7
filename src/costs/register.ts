import type { Ctx } from '../context';
import { InfoNode } from '../tree/nodes';
import { registerTreeView } from '../tree/view';

/** The Costs view. Until the feature lands it shows an honest empty state, never sample data. */
export function register(ctx: Ctx): void {
  registerTreeView(ctx, 'cloudMonitor.costs', () => [
    new InfoNode('costs/placeholder', 'Not available in this version yet', { icon: 'info', tooltip: 'This view will show Cost Explorer totals, forecasts and anomalies.' }),
  ]);
}
