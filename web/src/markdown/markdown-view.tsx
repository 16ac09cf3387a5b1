import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { copyWithFeedback } from '../lib/copy-text.js';
import { highlighterVersion, onHighlighterLoaded } from './highlight.js';
import { IncrementalMarkdown } from './incremental-markdown.js';

/**
 * Markdown as safe HTML, one element per block: when the text grows, only the blocks that changed
 * are written to the page. The code blocks' Copy buttons are part of that HTML; one listener here
 * answers them all.
 */
export function MarkdownView({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const renderer = useRef<IncrementalMarkdown | null>(null);
  renderer.current ??= new IncrementalMarkdown();
  const [highlighter, setHighlighter] = useState(highlighterVersion);
  useEffect(() => onHighlighterLoaded(() => setHighlighter(highlighterVersion())), []);
  const blocks = useMemo(() => renderer.current!.render(text, streaming), [text, streaming, highlighter]);
  const onClick = (event: MouseEvent) => {
    const button = (event.target as Element).closest('button.copy-code');
    const code = button?.closest('.code-block')?.querySelector('code');
    if (button instanceof HTMLElement && code) void copyWithFeedback(button, code.textContent ?? '');
  };
  return (
    <div class="markdown" onClick={onClick}>
      {blocks.map((html, index) => html && <div key={index} class="md-block" dangerouslySetInnerHTML={{ __html: html }} />)}
    </div>
  );
}
