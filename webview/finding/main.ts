// The finding detail view. Every string from AWS goes in as text (el() sets textContent):
// markup in a title or description shows as the characters it is.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import { connect, el, hostStrings, loadState, saveState } from '../shared/ipc';
import { fill } from '../../src/webview/strings';
import type { FindingDetailSpec, FindingPanelState, FindingView } from '../../src/findings/detailProtocol';
import type { WorkflowTarget } from '../../src/findings/model';
import css from './finding.css';

const sheet = new CSSStyleSheet();
sheet.replaceSync(css);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const app = document.getElementById('app')!;
const endpoint = connect<FindingDetailSpec>();
const S = hostStrings<FindingDetailSpec>();
let current: FindingView | undefined;
/** The triage status line survives the re-render that the host's update of the finding causes. */
let statusLine = { id: '', text: '', className: 'status' };

function setStatus(id: string, text: string, className: string): void {
  statusLine = { id, text, className };
  const node = document.getElementById('triage-status');
  if (node && current?.id === id) {
    node.textContent = text;
    node.className = className;
  }
}

function date(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fill(S.utc, d.toISOString().replace('T', ' ').slice(0, 16));
}

function row(label: string, value: string | Node): HTMLElement {
  return el('div', { className: 'row' }, el('div', { className: 'label', text: label }), typeof value === 'string' ? el('div', { className: 'value', text: value }) : value);
}

function section(title: string, ...children: Node[]): HTMLElement {
  return el('section', {}, el('h2', { text: title }), ...children);
}

function button(label: string, onClick: () => void, opts: { secondary?: boolean; disabled?: boolean; id?: string } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (opts.secondary) b.setAttribute('secondary', '');
  if (opts.disabled) b.setAttribute('disabled', '');
  if (opts.id) b.id = opts.id;
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

function render(f: FindingView): void {
  current = f;
  const kept = statusLine.id === f.id ? statusLine : { text: '', className: 'status' };
  const status = el('div', { className: kept.className, text: kept.text });
  status.id = 'triage-status';
  status.setAttribute('role', 'status');
  const note = document.createElement('vscode-textarea') as HTMLElement & { value: string };
  note.setAttribute('placeholder', S.notePlaceholder);
  note.setAttribute('rows', '2');
  note.setAttribute('maxlength', '512');
  note.id = 'note';

  const triage = async (target: WorkflowTarget) => {
    setStatus(f.id, fill(S.setting, target), 'status');
    try {
      const r = await endpoint.request('triage', { status: target, note: note.value ?? '' }, 60_000);
      setStatus(f.id, r.message, r.ok ? 'status ok' : 'status error');
    } catch (err) {
      setStatus(f.id, fill(S.failed, (err as Error).message), 'status error');
    }
  };

  const resource = el('div', { className: 'value' }, el('code', { text: f.resourceId }), el('span', { className: 'muted', text: ` ${f.resourceType}${f.resourceCount > 1 ? ` ${fill(S.moreResources, f.resourceCount - 1)}` : ''}` }));
  if (f.bucket) {
    resource.append(' ', button(S.revealBucket, () => void endpoint.request('revealBucket', undefined), { secondary: true, id: 'reveal-bucket' }));
  }

  const remediation: Node[] = [el('p', { className: 'prewrap', text: f.remediationText || S.noRemediation })];
  if (f.remediationUrl) {
    remediation.push(el('p', {}, el('code', { className: 'url', text: f.remediationUrl })));
    remediation.push(f.safeRemediationUrl
      ? button(S.openRemediation, () => void endpoint.request('openRemediation', undefined), { id: 'open-remediation' })
      : el('p', { className: 'warning', text: S.notHttps }));
  }

  app.replaceChildren(
    el('header', {},
      el('span', { className: `severity sev-${f.severity.toLowerCase()}`, text: f.severity }),
      el('h1', { text: f.title, title: f.title }),
      // The host builds the console URL from the connection's partition and region; the page sends no URL.
      button(S.openInConsole, () => void endpoint.request('openInConsole', undefined), { secondary: true, id: 'open-in-console' }),
    ),
    section(S.summary,
      row(S.resource, resource),
      row(S.workflow, f.statusText ?? f.workflowStatus),
      row(S.compliance, f.complianceStatus ?? '—'),
      row(S.product, [f.productName, f.companyName].filter(Boolean).join(' · ') || '—'),
      row(S.firstSeen, date(f.firstObservedAt ?? f.createdAt)),
      row(S.lastSeen, date(f.lastObservedAt ?? f.updatedAt)),
      row(S.accountRegion, `${f.accountId ?? '—'} · ${f.region ?? '—'}`),
      ...(f.types.length ? [row(S.types, f.types.join(', '))] : []),
      ...(f.note ? [row(S.note, f.note.updatedBy ? fill(S.noteBy, f.note.text, f.note.updatedBy, date(f.note.updatedAt)) : f.note.text)] : []),
    ),
    section(S.description, el('p', { className: 'prewrap', text: f.description || S.noDescription })),
    section(S.remediation, ...remediation),
    section(S.triage,
      note,
      el('div', { className: 'actions' },
        // A V2 (OCSF) finding's console calls NOTIFIED "In progress" (status_id 2).
        button(f.source === 'v2' ? S.inProgress : S.notified, () => void triage('NOTIFIED'), { secondary: true, id: 'triage-notified' }),
        button(S.resolved, () => void triage('RESOLVED'), { id: 'triage-resolved' }),
        button(S.suppressed, () => void triage('SUPPRESSED'), { secondary: true, id: 'triage-suppressed' }),
      ),
      status,
    ),
    el('p', { className: 'muted small', text: fill(S.findingId, f.id) }),
  );
  saveState<FindingPanelState>({ id: f.id, productArn: f.productArn, source: f.source, accountId: f.accountId, member: f.member, finding: f });
}

endpoint.on('finding', render);
endpoint.on('unavailable', ({ message }) => {
  app.replaceChildren(el('p', { className: 'warning', text: message }));
  if (current) saveState<FindingPanelState>({ id: current.id, productArn: current.productArn, source: current.source, accountId: current.accountId, member: current.member });
});

// Show the last state at once after a hide/show; the host then sends the fresh finding.
const saved = loadState<FindingPanelState>();
if (saved?.finding) render(saved.finding);
