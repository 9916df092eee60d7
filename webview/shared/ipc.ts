// The webview end of the shared protocol (src/webview/protocol.ts).
import { Endpoint, type Message, type Spec } from '../../src/webview/protocol';

interface VsCodeApi<State> {
  postMessage(msg: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

let api: VsCodeApi<unknown> | undefined;
function vscodeApi<State>(): VsCodeApi<State> {
  // acquireVsCodeApi may be called once per page.
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<State>;
}

/** Connects to the host and sends `ready`; the host replies with its state. */
export function connect<S extends Spec>(timeoutMs?: number): Endpoint<S, 'webview'> {
  const vscode = vscodeApi();
  const endpoint = new Endpoint<S, 'webview'>((m: Message) => vscode.postMessage(m), timeoutMs);
  window.addEventListener('message', (e: MessageEvent) => void endpoint.receive(e.data));
  endpoint.notify('ready', undefined as never);
  return endpoint;
}

/** The labels the host put into the page (src/webview/strings.ts): the webview's code carries no English of its own. */
let strings: Record<string, string> | undefined;
export function hostStrings<S extends Spec>(): NonNullable<S['strings']> {
  if (!strings) {
    const text = document.getElementById('app')?.dataset.strings;
    if (!text) throw new Error('the page carries no strings table');
    strings = JSON.parse(text) as Record<string, string>;
  }
  return strings as NonNullable<S['strings']>;
}

/** Webview state that survives hide/show and, with a WebviewPanelSerializer, a restart. */
export function loadState<State>(): State | undefined { return vscodeApi<State>().getState(); }
export function saveState<State>(state: State): void { vscodeApi<State>().setState(state); }

/** Creates an element with text content only: strings from AWS never go through innerHTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; title?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title !== undefined) node.title = props.title;
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}
