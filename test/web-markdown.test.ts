import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, waitFor } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { ensureWebBuilt, launchChromium, watchForProblems } from './support/browser.js';

// Replies as the page renders them: markdown through a renderer and a sanitiser (model output is
// untrusted), highlighted code, copy buttons and times, and a reply that re-renders as it streams
// without redoing what is already on screen. Real browser, real goosed, the scripted LLM.

const SHOTS = 'test-output/web-markdown';
let harness: ReplyHarness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let sessionId: string;

beforeAll(async () => {
  // A stalled model stream must stay stalled while the test looks at the half-written reply.
  [harness, browser] = await Promise.all([startReplyHarness({ model: { idleTimeoutMs: 60_000 } }), ensureWebBuilt().then(launchChromium)]);
  context = await browser.newContext({ viewport: { width: 1100, height: 900 }, reducedMotion: 'reduce' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.goosed.url });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  problems = watchForProblems(page, harness.goosed.url);
  mkdirSync(SHOTS, { recursive: true });
  sessionId = (await createSession(harness.goosed, { name: 'Markdown' })).id;
  await page.goto(`${harness.goosed.url}/#/sessions/${sessionId}`);
  await page.getByRole('heading', { name: 'Markdown' }).waitFor();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const lastReply = () => page.locator('article.message.assistant').last();
const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
const messages = async () => (await harness.goosed.request(`/api/sessions/${sessionId}/messages`)).json();

async function send(text: string): Promise<void> {
  await page.getByLabel('Message').fill(text);
  await page.locator('.composer button[type=submit]:enabled').waitFor();
  await page.keyboard.press('Enter');
  await page.locator('article.message.user').last().waitFor();
}

const REPLY = [
  '## The plan',
  '',
  'Some **bold**, some *emphasis* and `inline code`.',
  '',
  '1. First step',
  '2. Second step',
  '',
  '| File | Lines |',
  '|:-----|------:|',
  '| a.ts | 12 |',
  '| b.ts | 340 |',
  '',
  '```ts',
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '```',
  '',
  'Read [the docs](https://example.com/docs), write to [us](mailto:team@example.com), or [click this](javascript:alert(1)).',
  '',
  '<script>window.injected = true</script><img src="https://example.com/track.png" onerror="window.injected = true"> <b>raw</b>',
  '',
  '![a diagram](https://example.com/diagram.png)',
].join('\n');

describe('a reply in markdown', () => {
  it('shows headings, emphasis, lists, tables and highlighted code', async () => {
    harness.llm.enqueue({ text: REPLY });
    await send('Show me the plan');
    const reply = lastReply().locator('.markdown');
    await reply.locator('.code-block').waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor();

    expect(await reply.locator('h2').innerText()).toBe('The plan');
    expect(await reply.locator('strong').innerText()).toBe('bold');
    expect(await reply.locator('em').innerText()).toBe('emphasis');
    expect(await reply.locator(':not(pre) > code').first().innerText()).toBe('inline code');
    expect(await reply.locator('ol > li').allInnerTexts()).toEqual(['First step', 'Second step']);
    expect(await reply.locator('table th').allInnerTexts()).toEqual(['File', 'Lines']);
    expect(await reply.locator('table td').allInnerTexts()).toEqual(['a.ts', '12', 'b.ts', '340']);
    // Highlighted by classes (the page's CSP allows no inline styles), coloured by the page's CSS.
    const code = reply.locator('.code-block code');
    expect(await code.innerText()).toBe('export function add(a: number, b: number): number {\n  return a + b;\n}');
    // The highlighter is loaded with the first code block; the block is then rendered again.
    await code.locator('.hljs-keyword').first().waitFor();
    expect(await code.locator('.hljs-keyword').allInnerTexts()).toEqual(expect.arrayContaining(['export', 'function', 'return']));
    const keywordColour = await code.locator('.hljs-keyword').first().evaluate((element) => getComputedStyle(element).color);
    expect(keywordColour).not.toBe(await code.evaluate((element) => getComputedStyle(element).color));
    await page.screenshot({ path: `${SHOTS}/reply.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/reply-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('keeps model output from becoming markup, and opens only http, https and mailto links, in a new tab', async () => {
    const reply = lastReply().locator('.markdown');
    const links = await reply.locator('a').evaluateAll((anchors) =>
      anchors.map((anchor) => ({ text: anchor.textContent, href: anchor.getAttribute('href'), target: anchor.getAttribute('target'), rel: anchor.getAttribute('rel') })),
    );
    expect(links).toEqual([
      { text: 'the docs', href: 'https://example.com/docs', target: '_blank', rel: 'noopener noreferrer' },
      { text: 'us', href: 'mailto:team@example.com', target: '_blank', rel: 'noopener noreferrer' },
      { text: 'click this', href: null, target: null, rel: null },
      // An image is a link to it: loading it would tell another server what this page shows.
      { text: 'a diagram', href: 'https://example.com/diagram.png', target: '_blank', rel: 'noopener noreferrer' },
    ]);
    expect(await reply.locator('script, img, b, [onerror], [style]').count()).toBe(0);
    expect(await reply.innerText()).toContain('<script>window.injected = true</script>');
    expect(await reply.innerText()).toContain('<b>raw</b>');
    expect(await page.evaluate(() => (window as { injected?: boolean }).injected)).toBeUndefined();
  });

  it('copies a code block and a whole message, and shows when each message was written', async () => {
    const reply = lastReply();
    await reply.locator('.code-block').getByRole('button', { name: 'Copy' }).click();
    await reply.locator('.code-block').getByRole('button', { name: 'Copied' }).waitFor();
    expect(await clipboard()).toBe('export function add(a: number, b: number): number {\n  return a + b;\n}');

    const stored = await messages();
    await reply.getByRole('button', { name: 'Copy the reply' }).click();
    // The reply as written, markdown and all.
    await waitFor(clipboard, (text) => text === REPLY);
    await page.locator('article.message.user').last().getByRole('button', { name: 'Copy what you wrote' }).click();
    await waitFor(clipboard, (text) => text === 'Show me the plan');

    expect(await reply.locator('time').getAttribute('datetime')).toBe(stored.at(-1).created_at);
    expect(await page.locator('article.message.user').last().locator('time').getAttribute('datetime')).toBe(stored.at(-2).created_at);
    expect(await reply.locator('time').innerText()).toMatch(/\d{1,2}.\d{2}/);
  });
});

describe('a reply as it streams', () => {
  it('renders only the new part each time: the blocks already shown are left alone', async () => {
    const paragraphs = Array.from({ length: 60 }, (_, index) => `Paragraph ${index} says *something* about \`item${index}\`.\n\n`);
    harness.llm.enqueue({ text: paragraphs, chunkDelayMs: 15 });
    const repliesBefore = await page.locator('article.message.assistant').count();
    await send('Write sixty paragraphs');
    const firstBlock = page.locator('article.message.assistant').nth(repliesBefore).locator('.md-block').first();
    await firstBlock.waitFor();
    // Watch the first block from now on: a re-render of the whole reply would rewrite it.
    await firstBlock.evaluate((element) => {
      const counter = { mutations: 0 };
      (window as unknown as { firstBlock: unknown }).firstBlock = { element, counter };
      new MutationObserver((records) => (counter.mutations += records.length)).observe(element, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await waitFor(async () => lastReply().locator('.md-block p').count(), (count) => count === 60, 20_000);
    await page.getByRole('button', { name: 'Send' }).waitFor();
    const watched = await page.evaluate(() => {
      const { element, counter } = (window as unknown as { firstBlock: { element: Element; counter: { mutations: number } } }).firstBlock;
      const reply = [...document.querySelectorAll('article.message.assistant')].at(-1)!;
      return { mutations: counter.mutations, stillShown: reply.querySelector('.md-block') === element };
    });
    expect(watched).toEqual({ mutations: 0, stillShown: true });
    expect(await lastReply().locator('.md-block p').last().innerText()).toBe('Paragraph 59 says something about item59.');
  });

  it('shows a half-written code fence as a code block, highlighted, while the rest is coming', async () => {
    harness.llm.enqueue({ text: ['Here it is:\n\n```python\n', 'def greet(name):\n', '    return f"hi {name}"\n', '```\n\nDone.'], fault: { kind: 'stall_after', chunks: 3 } });
    await send('Write a greeting function');
    const code = lastReply().locator('.code-block code');
    await waitFor(() => code.innerText().catch(() => ''), (text) => text.includes('return f"hi {name}"'));
    expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
    expect(await code.innerText()).toBe('def greet(name):\n    return f"hi {name}"');
    await code.locator('.hljs-keyword').first().waitFor();
    expect(await code.locator('.hljs-keyword').allInnerTexts()).toEqual(['def', 'return']);
    expect(await lastReply().locator('.markdown').innerText()).not.toContain('```');
    await page.screenshot({ path: `${SHOTS}/half-written-fence.png` });
    await page.getByRole('button', { name: 'Stop' }).click();
    await lastReply().getByText('Stopped.').waitFor();
  });
});

describe("the user's own message", () => {
  it('shows a code block in the bubble with readable contrast, in light and dark mode', async () => {
    harness.llm.enqueue({ text: 'Noted.' });
    await send('Why does this fail?\n\n```sh\nnpm run build -- --watch\n```');
    const code = page.locator('article.message.user').last().locator('.code-block code');
    await code.waitFor();
    expect(await code.innerText()).toBe('npm run build -- --watch');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await contrastOf(code), scheme).toBeGreaterThanOrEqual(4.5);
      await page.locator('article.message.user').last().screenshot({ path: `${SHOTS}/user-code-${scheme}.png` });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('loaded nothing from elsewhere and broke no rule of the page CSP', () => {
    expect(problems).toEqual([]);
  });
});

/** WCAG contrast between an element's text colour and the first opaque background behind it. */
function contrastOf(locator: ReturnType<Page['locator']>): Promise<number> {
  return locator.evaluate((element) => {
    const rgb = (colour: string) => (colour.match(/[\d.]+/g) ?? []).map(Number);
    let background: number[] = [];
    for (let node: Element | null = element; node; node = node.parentElement) {
      const [r, g, b, a = 1] = rgb(getComputedStyle(node).backgroundColor);
      if (a > 0.5) {
        background = [r, g, b];
        break;
      }
    }
    const luminance = ([r, g, b]: number[]) => {
      const channel = (value: number) => ((value /= 255) <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4);
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const [light, dark] = [luminance(rgb(getComputedStyle(element).color)), luminance(background)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  });
}
