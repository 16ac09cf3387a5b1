import { highlighterVersion } from './highlight.js';
import { lexBlocks, renderBlock } from './render-markdown.js';

interface Block {
  raw: string;
  type: string;
  html: string;
}

/**
 * A message's markdown as HTML blocks, kept between renders. While a reply streams in, its text only
 * grows: the blocks before the last are finished and kept as they are, and only the text from the
 * last block on is parsed and rendered again. A long reply thus costs about one block per frame,
 * not the whole text, and the blocks already on screen are left untouched.
 */
export class IncrementalMarkdown {
  #text = '';
  #streaming = false;
  #blocks: Block[] = [];
  #highlighter = highlighterVersion();

  /** The HTML of each block of `text`; `streaming`: the text may still grow (its last block is open). */
  render(text: string, streaming: boolean): string[] {
    const sameHighlighter = this.#highlighter === highlighterVersion();
    if (text === this.#text && streaming === this.#streaming && sameHighlighter && this.#blocks.length > 0) return this.#html();
    // Blocks rendered before highlighting was loaded are rendered again.
    const kept = text.startsWith(this.#text) && sameHighlighter ? this.#blocks.slice(0, -1) : [];
    // A list can go on after a blank line, so it stays open until something else follows it.
    while (kept.length > 0 && (kept.at(-1)!.type === 'list' || kept.at(-1)!.type === 'space')) kept.pop();
    let keptText = kept.map((block) => block.raw).join('');
    // The lexer normalises line ends; where the kept blocks no longer spell the text, start over.
    if (!text.startsWith(keptText)) {
      kept.length = 0;
      keptText = '';
    }
    const tokens = lexBlocks(text.slice(keptText.length));
    const fresh = tokens.map((token, index) => ({
      raw: token.raw,
      type: token.type,
      html: renderBlock(token, tokens.links, { complete: !streaming || index < tokens.length - 1 }),
    }));
    this.#text = text;
    this.#streaming = streaming;
    this.#highlighter = highlighterVersion();
    this.#blocks = [...kept, ...fresh];
    return this.#html();
  }

  #html(): string[] {
    return this.#blocks.map((block) => block.html);
  }
}
