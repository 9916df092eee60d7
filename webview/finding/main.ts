// The finding detail view. Every string from AWS goes in as text (el() sets textContent):
// markup in a title or description shows as the characters it is.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import { connect, el, loadState, saveState } from '../shared/ipc';
import type { FindingDetailSpec, FindingPanelState, FindingView } from '../../src/findings/detailProtocol';
import type { WorkflowTarget } from '../../src/findings/model';
import css from './finding.css';

const sheet = new CSSStyleSheet();
sheet.replaceSync(css);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const app = document.getElementById('app')!;
const endpoint = connect<FindingDetailSpec>();
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
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
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
  note.setAttribute('placeholder', 'Note (optional): why this status');
  note.setAttribute('rows', '2');
  note.setAttribute('maxlength', '512');
  note.id = 'note';

  const triage = async (target: WorkflowTarget) => {
    setStatus(f.id, `Setting ${target}…`, 'status');
    try {
      const r = await endpoint.request('triage', { status: target, note: note.value ?? '' }, 60_000);
      setStatus(f.id, r.message, r.ok ? 'status ok' : 'status error');
    } catch (err) {
      setStatus(f.id, `Failed: ${(err as Error).message}`, 'status error');
    }
  };

  const resource = el('div', { className: 'value' }, el('code', { text: f.resourceId }), el('span', { className: 'muted', text: ` ${f.resourceType}${f.resourceCount > 1 ? ` (+${f.resourceCount - 1} more)` : ''}` }));
  if (f.bucket) {
    resource.append(' ', button('Reveal bucket', () => void endpoint.request('revealBucket', undefined), { secondary: true, id: 'reveal-bucket' }));
  }

  const remediation: Node[] = [el('p', { className: 'prewrap', text: f.remediationText || 'No remediation text.' })];
  if (f.remediationUrl) {
    remediation.push(el('p', {}, el('code', { className: 'url', text: f.remediationUrl })));
    remediation.push(f.safeRemediationUrl
      ? button('Open remediation link', () => void endpoint.request('openRemediation', undefined), { id: 'open-remediation' })
      : el('p', { className: 'warning', text: 'Only https: links are opened, and this one is not.' }));
  }

  app.replaceChildren(
    el('header', {},
      el('span', { className: `severity sev-${f.severity.toLowerCase()}`, text: f.severity }),
      el('h1', { text: f.title, title: f.title }),
      // The host builds the console URL from the connection's partition and region; the page sends no URL.
      button('Open in Console', () => void endpoint.request('openInConsole', undefined), { secondary: true, id: 'open-in-console' }),
    ),
    section('Summary',
      row('Resource', resource),
      row('Workflow', f.statusText ?? f.workflowStatus),
      row('Compliance', f.complianceStatus ?? '—'),
      row('Product', [f.productName, f.companyName].filter(Boolean).join(' · ') || '—'),
      row('First seen', date(f.firstObservedAt ?? f.createdAt)),
      row('Last seen', date(f.lastObservedAt ?? f.updatedAt)),
      row('Account · Region', `${f.accountId ?? '—'} · ${f.region ?? '—'}`),
      ...(f.types.length ? [row('Types', f.types.join(', '))] : []),
      ...(f.note ? [row('Note', f.note.updatedBy ? `${f.note.text} (${f.note.updatedBy}, ${date(f.note.updatedAt)})` : f.note.text)] : []),
    ),
    section('Description', el('p', { className: 'prewrap', text: f.description || 'No description.' })),
    section('Remediation', ...remediation),
    section('Triage',
      note,
      el('div', { className: 'actions' },
        // A V2 (OCSF) finding's console calls NOTIFIED "In progress" (status_id 2).
        button(f.source === 'v2' ? 'In progress' : 'Notified', () => void triage('NOTIFIED'), { secondary: true, id: 'triage-notified' }),
        button('Resolved', () => void triage('RESOLVED'), { id: 'triage-resolved' }),
        button('Suppressed', () => void triage('SUPPRESSED'), { secondary: true, id: 'triage-suppressed' }),
      ),
      status,
    ),
    el('p', { className: 'muted small', text: `Finding id: ${f.id}` }),
  );
  saveState<FindingPanelState>({ id: f.id, productArn: f.productArn, source: f.source, accountId: f.accountId, finding: f });
}

endpoint.on('finding', render);
endpoint.on('unavailable', ({ message }) => {
  app.replaceChildren(el('p', { className: 'warning', text: message }));
  if (current) saveState<FindingPanelState>({ id: current.id, productArn: current.productArn, source: current.source, accountId: current.accountId });
});

// Show the last state at once after a hide/show; the host then sends the fresh finding.
const saved = loadState<FindingPanelState>();
if (saved?.finding) render(saved.finding);
