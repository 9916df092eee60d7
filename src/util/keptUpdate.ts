// A read-modify-write of one key of an extension's state (globalState, workspaceState) that is not lost.
// No vscode import.

/** The bits of vscode.Memento this needs. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

/**
 * Writes `change(current)` under `key`, reads it back, and writes the change again on what is there while `kept`
 * says it is missing (at most `attempts` writes).
 *
 * VS Code keeps an extension's state as one object for all its keys. A write changes the extension host's copy at
 * once, sends the whole object to the window a moment later, and the window sends every stored object back. An
 * object sent back from an earlier write that lands before a later write has been sent replaces the extension
 * host's copy, and the later write is gone, there and on disk, although its promise resolves (microsoft/vscode
 * issue 137132). Seen in CI: an alert received during Do Not Disturb was missing from the alert history. Once a
 * write's promise has resolved, every object sent back before it has arrived, so reading back then is reliable.
 */
export async function updateKept<T>(store: StateStore, key: string, change: (current: T | undefined) => T, kept: (stored: T | undefined) => boolean, attempts = 3): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    await store.update(key, change(store.get<T>(key)));
    if (kept(store.get<T>(key))) return;
  }
}

/** Writes `value` under `key` with updateKept: written again while what is stored is not that value (compared as JSON). */
export function setKept(store: StateStore, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  return updateKept(store, key, () => value, (stored) => JSON.stringify(stored) === json);
}
