import * as vscode from 'vscode';
import { Config } from '../config';
import type { Ctx } from '../context';
import { registerTreeView } from '../tree/view';
import { DASHBOARD_VIEW_TYPE, type DashboardState } from './dashboardProtocol';
import type { CostsFeature } from './feature';

/**
 * The Costs view, the cost dashboard and their commands. The feature itself (SDK client, store, ledger)
 * loads on first use, so activation stays light and makes no AWS call.
 */
export function register(ctx: Ctx): void {
  let feature: Promise<CostsFeature> | undefined;
  const tree = registerTreeView(ctx, 'cloudMonitor.costs', async () => (await load()).roots());
  // Its modules (the Cost Explorer and Organizations clients) initialise on first use, 40-55 ms of the extension
  // host in the large-account bench's profiles. The side bar asks every view for its roots at once; a macrotask
  // later, the views that ask AWS for their first rows have sent their requests (the Costs view asks none).
  const load = () =>
    (feature ??= new Promise<void>((go) => setImmediate(go)).then(() => import('./feature')).then((m) => ctx.own(new m.CostsFeature(ctx, tree))));
  const dashboard = () => import('./dashboard');

  ctx.command('cloudMonitor.costs.refresh', async () => (await load()).refresh());

  ctx.command('cloudMonitor.costs.openDashboard', async () => {
    const f = await load();
    (await dashboard()).CostDashboard.createOrShow(ctx.extension.extensionUri, f, (m) => ctx.log.warn(m));
  });

  ctx.command('cloudMonitor.costs.showLedger', async () => (await load()).showLedger());

  ctx.command('cloudMonitor.costs.allowRequests', async () => (await load()).askConsent());

  ctx.command('cloudMonitor.costs.chooseTagKey', async (key?: string) => {
    if (typeof key !== 'string') {
      key = await vscode.window.showInputBox({
        title: vscode.l10n.t('Group Costs by Tag'),
        prompt: vscode.l10n.t('A cost allocation tag key (activated in Billing → Cost allocation tags). Empty removes the tag group.'),
        placeHolder: 'cost_center',
        value: Config.costs.tagKey(),
        validateInput: (v) => (v.length > 128 ? vscode.l10n.t('Tag keys are at most 128 characters.') : undefined),
      });
      if (key === undefined) return undefined;
    }
    await Config.costs.set('tagKey', key.trim());
    return key.trim();
  });

  // The CUR 2.0 queries are the `cur` group of the Athena query library (media/queries/cur); this picks one
  // and the table from cloudMonitor.costs.curTable, and lets the Athena feature open it, ready to run.
  ctx.command('cloudMonitor.costs.openCurQuery', async (file?: string) => {
    const { listLibrary, identifierProblem } = await import('../athena/library');
    const queries = (await listLibrary(vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'queries').fsPath)).filter((q) => q.group === 'cur');
    let query = queries.find((q) => q.file === file);
    if (!query) {
      const pick = await vscode.window.showQuickPick(
        queries.map((q) => ({ label: q.title, detail: q.description, description: q.parameters.length ? (q.parameters.length > 1 ? vscode.l10n.t('{0} parameters', q.parameters.length) : vscode.l10n.t('{0} parameter', q.parameters.length)) : undefined, q })),
        { title: vscode.l10n.t('Open CUR 2.0 Athena Query'), matchOnDetail: true },
      );
      if (!pick) return undefined;
      query = pick.q;
    }
    let table = Config.costs.curTable();
    if (!table) {
      const typed = await vscode.window.showInputBox({
        title: vscode.l10n.t('CUR 2.0 Table'),
        prompt: vscode.l10n.t('The Athena table of your CUR 2.0 export (saved in cloudMonitor.costs.curTable).'),
        placeHolder: 'data_exports.cur2',
        validateInput: (v) => identifierProblem(v),
      });
      if (!typed) return undefined;
      table = typed.trim();
      await Config.costs.set('curTable', table);
    }
    return vscode.commands.executeCommand('cloudMonitor.athena.openLibrary', `${query.group}/${query.file}`, { cur_table: table });
  });

  ctx.serializer(DASHBOARD_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      const f = await load();
      (await dashboard()).CostDashboard.revive(panel, ctx.extension.extensionUri, f, state as DashboardState | undefined, (m) => ctx.log.warn(m));
    },
  });

  // The status bar item needs the feature once the extension is active.
  if (Config.costs.statusBar()) void load();
}
