// The Deploy Pipeline questions: stack name, region, then the template parameters that matter.
// Answers are remembered per account and region; Escape at any step cancels the whole deploy.
import * as vscode from 'vscode';
import { REGIONS } from '../aws/regions';
import { DEFAULT_STACK_NAME, stackNameProblem } from './names';
import { answersKey, crossParamProblems, paramProblem, PROMPTED, resolveParams, type ParamSpec } from './params';
import { updateKept } from '../util/keptUpdate';

export interface DeployAnswers {
  stackName: string;
  region: string;
  parameters: Record<string, string>;
}

const MEMORY_KEY = 'cloudMonitor.pipeline.deployAnswers';
type Memory = Record<string, { stackName: string; parameters: Record<string, string> }>;

export function rememberedAnswers(state: vscode.Memento, accountId: string, region: string) {
  return state.get<Memory>(MEMORY_KEY, {})[answersKey(accountId, region)];
}

export async function rememberAnswers(state: vscode.Memento, accountId: string, a: DeployAnswers): Promise<void> {
  const key = answersKey(accountId, a.region);
  const answers = JSON.stringify({ stackName: a.stackName, parameters: a.parameters });
  await updateKept<Memory>(state, MEMORY_KEY, (stored) => ({ ...stored, [key]: JSON.parse(answers) }), (stored) => JSON.stringify(stored?.[key]) === answers);
}

/** Asks every question in turn; undefined when the user pressed Escape. */
export async function askDeployAnswers(state: vscode.Memento, accountId: string, currentRegion: string, specs: ParamSpec[], stackNameHint?: string): Promise<DeployAnswers | undefined> {
  const prompted = PROMPTED.map((k) => specs.find((s) => s.key === k)).filter((s): s is ParamSpec => !!s);
  const total = 2 + prompted.length;

  const stackName = await vscode.window.showInputBox({
    title: vscode.l10n.t('Deploy Pipeline (1/{0}): stack name', total),
    prompt: vscode.l10n.t('CloudFormation stack name. Deploying to an existing pipeline stack updates it.'),
    value: stackNameHint ?? rememberedAnswers(state, accountId, currentRegion)?.stackName ?? DEFAULT_STACK_NAME,
    validateInput: (v) => stackNameProblem(v.trim()),
    ignoreFocusOut: true,
  });
  if (stackName === undefined) return undefined;

  // Most deploys take the defaults: offer them before the other questions, listing what they are.
  const defaults = resolveParams(specs, rememberedAnswers(state, accountId, currentRegion)?.parameters);
  const shown = prompted.map((spec) => `${spec.key} ${defaults[spec.key] === '' ? '(none)' : defaults[spec.key]}`);
  const remembered = !!rememberedAnswers(state, accountId, currentRegion);
  const useDefaults = { label: vscode.l10n.t('$(check) Use Defaults'), description: remembered ? vscode.l10n.t('region {0}, your last answers here', currentRegion) : vscode.l10n.t('region {0}, the template\'s defaults', currentRegion), detail: shown.join(' · '), choice: 'defaults' as const };
  const chooseEach = { label: vscode.l10n.t('$(list-ordered) Choose Each Setting…'), description: vscode.l10n.t('region and {0} parameters, one at a time', prompted.length), choice: 'each' as const };
  const how = await vscode.window.showQuickPick([useDefaults, chooseEach], {
    title: vscode.l10n.t('Deploy Pipeline: {0}', stackName.trim()),
    placeHolder: vscode.l10n.t('Use the defaults for the other settings, or choose each (the change set is shown before anything is deployed)'),
    ignoreFocusOut: true,
  });
  if (!how) return undefined;
  if (how.choice === 'defaults') return { stackName: stackName.trim(), region: currentRegion, parameters: defaults };

  const regionItems: (vscode.QuickPickItem & { id: string })[] = [
    { id: currentRegion, label: currentRegion, description: vscode.l10n.t('current region') },
    ...REGIONS.filter(([id]) => id !== currentRegion).map(([id, name]) => ({ id, label: id, description: name })),
  ];
  const regionPick = await vscode.window.showQuickPick(regionItems, { title: vscode.l10n.t('Deploy Pipeline (2/{0}): region', total), placeHolder: vscode.l10n.t('Region to deploy the pipeline stack into'), ignoreFocusOut: true });
  if (!regionPick) return undefined;
  const region = regionPick.id;
  // Parameter answers are remembered per account and region.
  const memory = rememberedAnswers(state, accountId, region);

  const base = resolveParams(specs, memory?.parameters);
  const answers: Record<string, string> = {};
  for (const [i, spec] of prompted.entries()) {
    const title = `Deploy Pipeline (${3 + i}/${total}): ${spec.key}`;
    const current = base[spec.key];
    let value: string | undefined;
    if (spec.allowed) {
      const items = spec.allowed.map((v) => ({ label: v, description: v === current ? (v === spec.default ? vscode.l10n.t('current, default') : vscode.l10n.t('current')) : v === spec.default ? vscode.l10n.t('default') : undefined }));
      items.sort((a, b) => (a.label === current ? -1 : b.label === current ? 1 : 0));
      value = (await vscode.window.showQuickPick(items, { title, placeHolder: spec.description, ignoreFocusOut: true }))?.label;
    } else {
      value = await vscode.window.showInputBox({
        title,
        prompt: `${spec.description}${spec.default !== '' ? ` Default: ${spec.default}.` : ''}`,
        value: current,
        placeHolder: spec.optional ? vscode.l10n.t('Leave empty for none') : undefined,
        validateInput: (v) => paramProblem(spec, v.trim()) ?? crossParamProblems({ ...base, ...answers, [spec.key]: v.trim() }).find((p) => p.key === spec.key)?.message,
        ignoreFocusOut: true,
      });
    }
    if (value === undefined) return undefined;
    answers[spec.key] = value.trim();
  }
  return { stackName: stackName.trim(), region, parameters: resolveParams(specs, memory?.parameters, answers) };
}
