import { mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, removeDirectory, temporaryDirectory } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { ensureWebBuilt, launchChromium, watchForProblems } from './support/browser.js';

// The page on a phone-sized screen (390 px, an iPhone's width): the chat gets the width, the session
// list is a menu that a button opens and Esc or a choice closes, and nothing overlaps, in light and
// dark mode.

const SHOTS = 'test-output/web-narrow';
const WIDTH = 390;
let harness: ReplyHarness;
let browser: Browser;
let page: Page;
let problems: string[];
const sessions: { id: string; name: string }[] = [];

beforeAll(async () => {
  [harness, browser] = await Promise.all([startReplyHarness(), ensureWebBuilt().then(launchChromium)]);
  // Enough sessions to fill the list past the bottom of the screen.
  for (let index = 0; index < 14; index++) {
    const session = await createSession(harness.goosed, { name: `Project number ${index}` });
    sessions.push({ id: session.id, name: `Project number ${index}` });
  }
  harness.llm.enqueue({ text: 'A reply with `code` and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```sh\nls -la\n```' });
  await harness.goosed.request(`/api/sessions/${sessions[0].id}/messages`, { method: 'POST', json: { content: 'Hello from a phone' } });
  page = await browser.newPage({ viewport: { width: WIDTH, height: 844 }, reducedMotion: 'reduce' });
  page.setDefaultTimeout(10_000);
  problems = watchForProblems(page, harness.goosed.url);
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const box = async (locator: Locator) => (await locator.boundingBox())!;
const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const menuButton = () => page.getByRole('button', { name: 'Menu' });
const sidebar = () => page.locator('#sidebar');

describe('the page at 390 px wide', () => {
  it('gives the chat the width of the screen, with the session list behind a Menu button', async () => {
    await page.goto(`${harness.goosed.url}/#/sessions/${sessions[0].id}`);
    await page.locator('article.message.assistant .code-block').waitFor();
    expect(await sidebar().isVisible()).toBe(false);
    expect(await menuButton().getAttribute('aria-expanded')).toBe('false');
    for (const part of ['.chat', '.composer textarea', 'article.message.assistant']) {
      expect((await box(page.locator(part))).width, part).toBeGreaterThanOrEqual(0.9 * WIDTH);
    }
    // The session's name and directory get a line of their own rather than a sliver beside the buttons.
    expect((await box(page.locator('.chat-title'))).width).toBeGreaterThanOrEqual(0.9 * WIDTH - 2 * 12);
    // Nothing sticks out sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH);
    await page.screenshot({ path: `${SHOTS}/chat.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/chat-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('opens the menu with no overlap between the session list and the API reference link', async () => {
    await menuButton().click();
    await sidebar().waitFor({ state: 'visible' });
    expect(await menuButton().getAttribute('aria-expanded')).toBe('true');
    // Focus moves into the menu.
    expect(await page.evaluate(() => document.getElementById('sidebar')!.contains(document.activeElement))).toBe(true);
    const docsLink = await box(page.getByRole('link', { name: 'API reference' }));
    const list = await box(page.locator('.session-list'));
    expect(overlaps(docsLink, list)).toBe(false);
    // What is drawn at the link is the link: no session is painted over it (the list scrolls instead).
    const atLink = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.textContent?.trim(), { x: docsLink.x + 5, y: docsLink.y + docsLink.height / 2 });
    expect(atLink).toBe('API reference');
    expect(await page.locator('.session-list').evaluate((list) => list.scrollHeight > list.clientHeight)).toBe(true);
    // The link is inside the screen, below the list.
    expect(docsLink.y + docsLink.height).toBeLessThanOrEqual(844);
    expect(docsLink.y).toBeGreaterThanOrEqual(list.y + list.height);
    await page.screenshot({ path: `${SHOTS}/menu.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/menu-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('closes the menu with Esc, giving focus back to the Menu button', async () => {
    await page.keyboard.press('Escape');
    await sidebar().waitFor({ state: 'hidden' });
    expect(await menuButton().getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Menu');
  });

  it('closes the menu when a session is chosen, and shows that session', async () => {
    await menuButton().click();
    await page.locator('.session-link', { hasText: sessions[3].name }).click();
    await page.getByRole('heading', { name: sessions[3].name }).waitFor();
    await sidebar().waitFor({ state: 'hidden' });
    // The session shown already: choosing it again still closes the menu.
    await menuButton().click();
    await page.locator('.session-link', { hasText: sessions[3].name }).click();
    await sidebar().waitFor({ state: 'hidden' });
  });

  it('keeps the sidebar beside the chat on a wide screen', async () => {
    await page.setViewportSize({ width: 1280, height: 820 });
    expect(await menuButton().isVisible()).toBe(false);
    expect(await sidebar().isVisible()).toBe(true);
    const side = await box(sidebar());
    const chat = await box(page.locator('.chat'));
    expect(overlaps(side, chat)).toBe(false);
    await page.setViewportSize({ width: WIDTH, height: 844 });
  });

  it('offers the directories of recent sessions in the new-session form, from the menu', async () => {
    const directories = [temporaryDirectory('goosed-recent-a-'), temporaryDirectory('goosed-recent-b-')].map((directory) => realpathSync(directory));
    try {
      for (const directory of directories) await createSession(harness.goosed, { name: 'Elsewhere', working_directory: directory });
      await page.reload();
      await menuButton().click();
      // Esc in the form closes the form, not the menu around it.
      await page.getByRole('button', { name: 'New session' }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('form', { name: 'New session' }).waitFor({ state: 'detached' });
      expect(await sidebar().isVisible()).toBe(true);
      await page.getByRole('button', { name: 'New session' }).click();
      const recent = page.getByRole('group', { name: 'Recent directories' });
      await recent.waitFor();
      // Newest first, each once (the fourteen sessions above share one directory).
      expect((await recent.getByRole('button').allInnerTexts()).slice(0, 3)).toEqual([directories[1], directories[0], realpathSync(homedir())]);
      await recent.getByRole('button', { name: directories[0] }).click();
      expect(await page.getByLabel('Working directory', { exact: true }).inputValue()).toBe(directories[0]);
      await page.getByLabel('Name', { exact: true }).fill('Back to A');
      await page.screenshot({ path: `${SHOTS}/new-session.png` });
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name: 'Back to A' }).waitFor();
      const sessions = await (await harness.goosed.request('/api/sessions?q=Back%20to%20A')).json();
      expect(sessions.map((session: { working_directory: string }) => session.working_directory)).toEqual([directories[0]]);
    } finally {
      for (const directory of directories) removeDirectory(directory);
    }
  });

  it('loaded nothing from elsewhere and broke no rule of the page CSP', () => {
    expect(problems).toEqual([]);
  });
});
