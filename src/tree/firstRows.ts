// When the side bar first answered a view's roots: the loader (src/extension.ts through src/features.ts) holds
// the bundles no side bar view needs (Athena) until then, so they do not compete for the extension host, or for
// the machine's cores, with the window's first request for rows (`npm run bench -- activation`).
let answered: () => void = () => undefined;
const first = new Promise<void>((resolve) => (answered = resolve));

/** Settles when any view first answered its roots (with rows, none, or an error row). */
export const firstRootsAnswered = (): Promise<void> => first;

/** Called by the tree provider each time a view's roots are answered; only the first call counts. */
export const rootsAnswered = (): void => answered();
