import DOMPurify from 'dompurify';
import { Marked, type Token, type Tokens, type TokensList } from 'marked';
import { highlightCode } from './highlight.js';

// Model output is untrusted: raw HTML in it is shown as text, images are shown as links (loading
// them would tell another server what the page shows), and DOMPurify checks the HTML once more.
// Links keep only http, https and mailto, and open in a new tab that cannot reach this one.

const SAFE_LINK = /^(https?:|mailto:)/i;
/** A code block this long is highlighted once it is complete, not at every frame while it streams. */
const HIGHLIGHT_WHILE_STREAMING_CHARS = 10_000;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A code block still being written (its fence may not be closed yet). */
type CodeToken = Tokens.Code & { open?: boolean };

const markdown = new Marked({
  gfm: true,
  // A single line break in a message is a line break, as the person or model wrote it.
  breaks: true,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
    code: ({ text, lang, open }: CodeToken) => {
      const language = (lang ?? '').trim().split(/\s+/)[0].toLowerCase();
      const highlighted = open && text.length >= HIGHLIGHT_WHILE_STREAMING_CHARS ? null : highlightCode(text, language);
      const label = language ? `<span class="code-language">${escapeHtml(language)}</span>` : '<span></span>';
      return (
        `<div class="code-block"><div class="code-bar">${label}<button type="button" class="copy-code">Copy</button></div>` +
        `<pre><code class="hljs">${highlighted ?? escapeHtml(text)}</code></pre></div>`
      );
    },
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return;
  const href = node.getAttribute('href')?.trim() ?? '';
  if (!SAFE_LINK.test(href)) {
    node.removeAttribute('href');
    return;
  }
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer');
});

function sanitize(html: string): string {
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'img', 'form', 'iframe', 'video', 'audio', 'source', 'picture'],
    FORBID_ATTR: ['style', 'srcset'],
  });
}

/** The top-level blocks of `text` (each token's `raw` is its part of the text, in order). */
export function lexBlocks(text: string): TokensList {
  return markdown.lexer(text);
}

/** The safe HTML of one block; `links` are the reference definitions of the whole text. */
export function renderBlock(token: Token, links: TokensList['links'], { complete }: { complete: boolean }): string {
  if (token.type === 'code') (token as CodeToken).open = !complete;
  return sanitize(markdown.parser(Object.assign([token], { links })));
}
