// Read-only tail and search documents: a TextDocumentContentProvider over TailBuffers. Updates are
// batched (at most one per FLUSH_MS per document), the view follows the end while the end is
// visible, levels are coloured with decorations, and streaming stops when the document closes.
import * as vscode from 'vscode';
import { LEVEL_COLUMN, TailBuffer, type Level, type TailEvent } from './tailBuffer';
import { systemClock, type Clock } from '../../tree/relativeTimes';
import { OUTSIDE_LOG_LANGUAGE } from '../../util/outsideText';

export const TAIL_SCHEME = 'cloudmonitor-tail';

export interface LogDocumentsOptions {
  scheme?: string;
  /** At most one document update per this many ms (0: one per push, the naive design the bench compares). */
  flushMs?: number;
  /** Share of the cap dropped at once (see TailBuffer). */
  trimFraction?: number;
  /** Time for the idle stop (Ctx.clock, so a test can drive it). */
  clock?: Clock;
  /** A running tail not visible for this long is handed to onIdle (read live; 0: never). */
  idleMs?: () => number;
  onIdle?: (session: LogDocumentSession, hiddenSince: number) => void;
}

/** How often hidden tails are checked against the idle limit. */
export const IDLE_CHECK_MS = 30_000;

export interface LogDocumentSession {
  readonly uri: vscode.Uri;
  readonly kind: 'tail' | 'search';
  readonly buffer: TailBuffer;
  readonly title: string;
  /** Stops streaming (tails) or pending loads (searches); a resumed tail gets a new one. */
  abort: AbortController;
  /** Set on a stopped tail that can go on where it stopped (one click: the CodeLens or the title button). */
  resume?: () => void;
  state: 'starting' | 'live' | 'polling' | 'stopped' | 'done';
  /** Searches with more pages offer "Load more". */
  loadMore?: () => Promise<void>;
}

const LEVEL_COLOURS: [Level[], string][] = [
  [['fatal', 'error'], 'errorForeground'],
  [['warn'], 'editorWarning.foreground'],
  [['info'], 'editorInfo.foreground'],
  [['debug', 'trace'], 'descriptionForeground'],
];

/** Whether these visible ranges of the editor show its document's end (its last two lines). */
const showsEnd = (ed: vscode.TextEditor, ranges: readonly vscode.Range[]) => (ranges.at(-1)?.end.line ?? 0) >= ed.document.lineCount - 2;

export class LogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sessions = new Map<string, LogDocumentSession>();
  private readonly dirty = new Set<string>();
  private readonly rendered = new Map<string, ReturnType<TailBuffer['render']>>();
  /**
   * Whether an editor follows the end, and the first line it showed. Decided from the window's visible-range
   * events, never at an update: after an update the editor's visible range lags its document until the window
   * has scrolled, and on a busy machine the next batch can land before then.
   */
  private readonly following = new WeakMap<vscode.TextEditor, boolean>();
  private readonly firstShown = new WeakMap<vscode.TextEditor, number>();
  private readonly decorations = new Map<Level, vscode.TextEditorDecorationType>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly sessionChanged = new vscode.EventEmitter<LogDocumentSession>();
  readonly onDidChangeSession = this.sessionChanged.event;
  private timer?: ReturnType<typeof setInterval>;
  /** Running tails that no editor shows, and since when (clock time). */
  private readonly hiddenSince = new Map<string, number>();
  private idleTimer?: unknown;
  private readonly clock: Clock;
  private counter = 0;
  /** Counts document updates, for the benchmark and tests. */
  updates = 0;

  private readonly scheme: string;
  private readonly flushMs: number;
  private readonly trimFraction: number;
  private readonly idleMs: () => number;
  private readonly onIdle?: (session: LogDocumentSession, hiddenSince: number) => void;

  constructor(opts: LogDocumentsOptions = {}) {
    this.scheme = opts.scheme ?? TAIL_SCHEME;
    this.flushMs = opts.flushMs ?? 200;
    this.trimFraction = opts.trimFraction ?? 0.1;
    this.clock = opts.clock ?? systemClock;
    this.idleMs = opts.idleMs ?? (() => 0);
    this.onIdle = opts.onIdle;
    for (const [levels, colour] of LEVEL_COLOURS) {
      const type = vscode.window.createTextEditorDecorationType({ color: new vscode.ThemeColor(colour), fontWeight: levels.includes('fatal') || levels.includes('error') ? 'bold' : undefined });
      for (const l of levels) this.decorations.set(l, type);
      this.disposables.push(type);
    }
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(this.scheme, this),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === this.scheme) this.afterUpdate(e.document);
      }),
      // VS Code drops a change fired while a document opens (after it read the content, before the extension host
      // has the document): a tail whose back-fill landed then stayed without it until its next event. Once open, the
      // content is read again (VS Code sends it on only if it differs).
      vscode.workspace.onDidOpenTextDocument((doc) => {
        const session = doc.uri.scheme === this.scheme ? this.sessions.get(doc.uri.toString()) : undefined;
        if (session) this.markDirty(session);
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const ed of editors) {
          if (ed.document.uri.scheme !== this.scheme) continue;
          // A tab shown again is a new editor: it follows if it shows the end.
          if (!this.following.has(ed)) this.following.set(ed, showsEnd(ed, ed.visibleRanges));
          this.decorate(ed);
        }
        this.syncVisibility();
      }),
      // Following stops when the reader scrolls up (the first line shown moves up: a reveal of the end only moves
      // it down) and starts again when the end shows.
      vscode.window.onDidChangeTextEditorVisibleRanges(({ textEditor: ed, visibleRanges }) => {
        if (ed.document.uri.scheme !== this.scheme) return;
        const first = visibleRanges[0]?.start.line ?? 0;
        const before = this.firstShown.get(ed);
        this.firstShown.set(ed, first);
        if (showsEnd(ed, visibleRanges)) this.following.set(ed, true);
        else if (before !== undefined && first < before) this.following.set(ed, false);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        // Setting the language closes the document and opens it again: that is not the person closing it.
        if (doc.uri.scheme === this.scheme && !this.relabelling.has(doc.uri.toString())) this.close(doc.uri);
      }),
      // A closed tab may keep its document alive for a while; stop streaming as soon as no tab shows it.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const input = tab.input;
          if (input instanceof vscode.TabInputText && input.uri.scheme === this.scheme && !this.isOpenInTab(input.uri)) this.close(input.uri);
        }
      }),
    );
  }

  /** Documents whose language is being set (VS Code closes and reopens them meanwhile). */
  private readonly relabelling = new Set<string>();

  private isOpenInTab(uri: vscode.Uri): boolean {
    return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()));
  }

  /** A new session with its own document URI. */
  create(kind: 'tail' | 'search', title: string, cap: number): LogDocumentSession {
    const n = ++this.counter;
    // Slashes in group names would become folders in the tab title; U+2215 looks the same.
    const path = `/${kind === 'tail' ? 'Tail' : 'Search'} ${title.replace(/\//g, '\u2215')}.log`;
    const uri = vscode.Uri.from({ scheme: this.scheme, path, query: `n=${n}` });
    const session: LogDocumentSession = { uri, kind, title, buffer: new TailBuffer(cap, true, this.trimFraction), abort: new AbortController(), state: 'starting' };
    this.sessions.set(uri.toString(), session);
    return session;
  }

  get(uri: vscode.Uri | undefined): LogDocumentSession | undefined {
    return uri ? this.sessions.get(uri.toString()) : undefined;
  }

  all(): LogDocumentSession[] { return [...this.sessions.values()]; }

  async show(session: LogDocumentSession): Promise<vscode.TextEditor> {
    let doc = await vscode.workspace.openTextDocument(session.uri);
    if (doc.languageId !== OUTSIDE_LOG_LANGUAGE) {
      const key = session.uri.toString();
      this.relabelling.add(key);
      try {
        doc = await vscode.languages.setTextDocumentLanguage(doc, OUTSIDE_LOG_LANGUAGE);
      } finally {
        this.relabelling.delete(key);
      }
    }
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    this.following.set(editor, true);
    this.firstShown.set(editor, editor.visibleRanges[0]?.start.line ?? 0);
    this.decorate(editor);
    return editor;
  }

  push(session: LogDocumentSession, events: TailEvent[]): void {
    session.buffer.push(events);
    this.markDirty(session);
  }

  notice(session: LogDocumentSession, text: string): void {
    session.buffer.notice(text);
    this.markDirty(session);
  }

  setState(session: LogDocumentSession, state: LogDocumentSession['state']): void {
    session.state = state;
    const running = state === 'live' || state === 'polling';
    if (running !== (session.buffer.waitingSince !== undefined)) {
      session.buffer.waitingSince = running ? Date.now() : undefined;
      this.markDirty(session);
    }
    this.syncVisibility();
    this.sessionChanged.fire(session);
  }

  private static running(s: LogDocumentSession): boolean {
    return s.kind === 'tail' && (s.state === 'starting' || s.state === 'live' || s.state === 'polling');
  }

  /**
   * Notes which running tails no editor shows (from visibleTextEditors: a tab in the background or a
   * hidden group is not visible), and runs the idle check while any tail runs.
   */
  private syncVisibility(): void {
    const visible = new Set(vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()));
    let running = 0;
    for (const [key, s] of this.sessions) {
      if (!LogDocuments.running(s)) {
        this.hiddenSince.delete(key);
        continue;
      }
      running++;
      if (visible.has(key)) this.hiddenSince.delete(key);
      else if (!this.hiddenSince.has(key)) this.hiddenSince.set(key, this.clock.now());
    }
    if (running && this.onIdle && this.idleTimer === undefined) this.idleTimer = this.clock.setInterval(() => this.checkIdle(), IDLE_CHECK_MS);
    else if (!running && this.idleTimer !== undefined) {
      this.clock.clearInterval(this.idleTimer);
      this.idleTimer = undefined;
    }
  }

  /** Hands every running tail hidden for longer than the idle limit to onIdle. */
  checkIdle(): void {
    const limit = this.idleMs();
    if (!(limit > 0)) return;
    const now = this.clock.now();
    for (const [key, since] of [...this.hiddenSince]) {
      const s = this.sessions.get(key);
      if (s && LogDocuments.running(s) && now - since >= limit) {
        this.hiddenSince.delete(key);
        this.onIdle?.(s, since);
      }
    }
  }

  /** Marker lines among a document's events (0-based line, text), as last rendered. */
  markers(uri: vscode.Uri): { line: number; text: string }[] {
    const key = uri.toString();
    const session = this.sessions.get(key);
    if (!session) return [];
    let r = this.rendered.get(key);
    if (!r) this.rendered.set(key, (r = session.buffer.render()));
    return r.markers;
  }

  /** A line among the events (where a tail stopped or resumed). */
  marker(session: LogDocumentSession, text: string): void {
    session.buffer.marker(text);
    this.markDirty(session);
  }

  setPretty(session: LogDocumentSession, pretty: boolean): void {
    session.buffer.setPretty(pretty);
    this.markDirty(session);
    this.sessionChanged.fire(session);
  }

  private markDirty(session: LogDocumentSession): void {
    this.dirty.add(session.uri.toString());
    if (this.flushMs <= 0) this.flush();
    else this.timer ??= setInterval(() => this.flush(), this.flushMs);
  }

  private flush(): void {
    if (!this.dirty.size) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    for (const key of this.dirty) {
      const session = this.sessions.get(key);
      if (!session) continue;
      this.rendered.delete(key);
      this.updates++;
      this.changed.fire(session.uri);
    }
    this.dirty.clear();
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = uri.toString();
    const session = this.sessions.get(key);
    if (!session) return '# This log document has ended. Start a new tail or search from the Logs view.\n';
    let r = this.rendered.get(key);
    if (!r) this.rendered.set(key, (r = session.buffer.render()));
    return r.text;
  }

  private afterUpdate(doc: vscode.TextDocument): void {
    for (const ed of vscode.window.visibleTextEditors) {
      if (ed.document !== doc) continue;
      this.decorate(ed);
      if (this.following.get(ed)) {
        const last = Math.max(0, doc.lineCount - 1);
        ed.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.Default);
      }
    }
  }

  private decorate(editor: vscode.TextEditor): void {
    const key = editor.document.uri.toString();
    const session = this.sessions.get(key);
    if (!session) return;
    let r = this.rendered.get(key);
    if (!r) this.rendered.set(key, (r = session.buffer.render()));
    const byType = new Map<vscode.TextEditorDecorationType, vscode.Range[]>();
    for (const type of this.decorations.values()) byType.set(type, []);
    for (const span of r.spans) {
      const type = this.decorations.get(span.level);
      if (type) byType.get(type)!.push(new vscode.Range(span.line, LEVEL_COLUMN, span.line, LEVEL_COLUMN + 5));
    }
    for (const [type, ranges] of byType) editor.setDecorations(type, ranges);
  }

  /** Stops the session's streaming; the text stays until the document closes. `asMarker`: the reason goes among the events. */
  stop(session: LogDocumentSession, why = 'Stopped.', asMarker = false, reason = 'stopped'): void {
    if (session.abort.signal.aborted) return;
    // The reason (a word) is the signal's: whoever watches the run learns why it ended.
    session.abort.abort(reason);
    if (session.state !== 'done') {
      if (asMarker) session.buffer.marker(why);
      else session.buffer.notice(why);
      this.markDirty(session);
    }
    this.setState(session, 'stopped');
  }

  private close(uri: vscode.Uri): void {
    const session = this.sessions.get(uri.toString());
    if (!session) return;
    session.abort.abort('closed');
    session.state = 'stopped';
    session.resume = undefined;
    this.sessions.delete(uri.toString());
    this.rendered.delete(uri.toString());
    this.syncVisibility();
    this.sessionChanged.fire(session);
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.abort.abort();
    this.sessions.clear();
    clearInterval(this.timer);
    if (this.idleTimer !== undefined) this.clock.clearInterval(this.idleTimer);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
    this.sessionChanged.dispose();
  }
}
