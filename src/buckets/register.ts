import type { Ctx } from '../context';
import { InfoNode } from '../tree/nodes';
import { registerTreeView } from '../tree/view';

/** The Buckets view. Until the feature lands it shows an honest empty state, never sample data. */
export function register(ctx: Ctx): void {
  registerTreeView(ctx, 'cloudMonitor.buckets', () => [
    new InfoNode('buckets/placeholder', 'Not available in this version yet', { icon: 'info', tooltip: 'This view will show S3 buckets with their security posture and storage cost.' }),
  ]);
}
