// highlight.js and its languages are half of the page's script, and many sessions show no code: they
// are loaded on the first code block. Until then code is shown plain; once loaded, every message is
// rendered again, highlighted.

type Highlight = (code: string, language: string) => string | null;

let highlight: Highlight | null = null;
let loading: Promise<void> | null = null;
let version = 0;
const listeners = new Set<() => void>();

/** Bumped when highlighting becomes available: what was rendered before it is plain. */
export const highlighterVersion = () => version;

/** The highlighted HTML of `code` (escaped by highlight.js); null for a language not bundled, or until loaded. */
export function highlightCode(code: string, language: string): string | null {
  if (!language) return null;
  if (highlight) return highlight(code, language);
  loading ??= import('./highlight-languages.js').then(
    (module) => {
      highlight = module.highlightCode;
      version++;
      for (const listener of listeners) listener();
    },
    () => {
      loading = null; // tried again at the next code block
    },
  );
  return null;
}

export function onHighlighterLoaded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
