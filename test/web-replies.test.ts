import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, removeDirectory, startTestServer, useScriptedProvider, waitFor, type TestServer } from './support/goosed.js';
import { listMessages } from './support/extensions.js';
import { ensureWebBuilt, launchChromium, watchForProblems } from './support/browser.js';

// Replies in the page when things are not simple: no provider yet, a second tab writing while a
// reply runs, and a server that restarts under a running reply. The page must say what is true,
// once, and say what to click rather than which API call to make.

const SHOTS = 'test-output/web-replies';
let llm: ScriptedLlm;
let goosed: TestServer;
let browser: Browser;
let context: BrowserContext;
let first: Page;
let problems: string[];
let sessionId: string;

beforeAll(async () => {
  [llm, goosed, browser] = await Promise.all([startScriptedLlm(), startTestServer(), ensureWebBuilt().then(launchChromium)]);
  context = await browser.newContext({ viewport: { width: 1100, height: 800 }, reducedMotion: 'reduce' });
  first = await context.newPage();
  first.setDefaultTimeout(15_000);
  problems = watchForProblems(first, goosed.url);
  mkdirSync(SHOTS, { recursive: true });
  sessionId = (await createSession(goosed, { name: 'Busy session' })).id;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await goosed?.close();
  await llm?.close();
  if (goosed) removeDirectory(goosed.dataDir);
});

const openSession = async (page: Page) => {
  await page.goto(`${goosed.url}/#/sessions/${sessionId}`);
  await page.getByRole('heading', { name: 'Busy session' }).waitFor();
};
const lastReply = (page: Page) => page.locator('article.message.assistant').last();
const replyText = async (page: Page) => (await lastReply(page).locator('.markdown').allInnerTexts()).join('').trim();
const stopButton = (page: Page) => page.getByRole('button', { name: 'Stop' });

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message').fill(text);
  await page.locator('.composer button[type=submit]:enabled').waitFor();
  await page.keyboard.press('Enter');
  await page.locator('article.message.user', { hasText: text }).last().waitFor();
}

describe('with no provider yet', () => {
  it('says what to click, not which API call to make', async () => {
    await openSession(first);
    await first.getByLabel('Message').fill('Hello?');
    await first.locator('.composer button[type=submit]:enabled').waitFor();
    await first.keyboard.press('Enter');
    const problem = first.locator('.chat > .problem');
    await problem.waitFor();
    expect(await problem.innerText()).toBe('No model provider is ready yet: choose one and its model on the Provider page. Open Provider');
    // The text stays in the composer, to send again once a provider is set.
    expect(await first.getByLabel('Message').inputValue()).toBe('Hello?');
    await first.screenshot({ path: `${SHOTS}/no-provider.png` });
    await problem.getByRole('link', { name: 'Open Provider' }).click();
    await first.getByRole('heading', { name: 'Provider', exact: true }).waitFor();
    await useScriptedProvider(goosed, llm.url);
  });
});

describe('a second tab while a reply runs', () => {
  it('says a reply is running and sends the message when it finishes', async () => {
    const second = await context.newPage();
    second.setDefaultTimeout(15_000);
    const secondProblems = watchForProblems(second, goosed.url);
    await Promise.all([openSession(first), openSession(second)]);

    const words = Array.from({ length: 40 }, (_, index) => `word${index} `);
    llm.enqueue({ text: words, chunkDelayMs: 50 }, { text: 'And here is the answer to the second tab.' });
    await send(first, 'Write forty words');
    // The other tab follows the session: it sees the reply running.
    await stopButton(second).waitFor();
    await second.getByLabel('Message').fill('A question from the second tab');
    await second.keyboard.press('Enter');
    const note = second.locator('.composer-note');
    await note.waitFor();
    expect(await note.innerText()).toBe('A reply is still running. Send your message when it finishes, or stop the reply first.');
    expect(await second.locator('article.message.user', { hasText: 'A question from the second tab' }).count()).toBe(0);
    await second.screenshot({ path: `${SHOTS}/second-tab-busy.png` });

    await second.getByRole('button', { name: 'Send when it finishes' }).click();
    await second.getByText('Waiting to send “A question from the second tab” when the reply finishes.').waitFor();
    expect(await second.getByLabel('Message').inputValue()).toBe('');
    await second.screenshot({ path: `${SHOTS}/second-tab-queued.png` });

    // Both tabs see the first reply end, then the queued message and its reply.
    for (const page of [first, second]) {
      await page.locator('article.message.user', { hasText: 'A question from the second tab' }).waitFor();
      await waitFor(() => replyText(page), (text) => text === 'And here is the answer to the second tab.');
    }
    expect(await second.locator('.composer-note').count()).toBe(0);
    const messages = await listMessages(goosed, sessionId);
    expect(messages.slice(-4).map((message: { role: string; status: string; content: string }) => [message.role, message.status, message.content])).toEqual([
      ['user', 'complete', 'Write forty words'],
      ['assistant', 'complete', words.join('')],
      ['user', 'complete', 'A question from the second tab'],
      ['assistant', 'complete', 'And here is the answer to the second tab.'],
    ]);
    expect(secondProblems).toEqual([]);
    await second.close();
  });
});

describe('a server restart under a running reply', () => {
  it('says the connection is lost without promising anything, then tells the interruption once', async () => {
    await openSession(first);
    llm.enqueue({ text: Array.from({ length: 400 }, (_, index) => `part${index} `), chunkDelayMs: 40 });
    await send(first, 'Write a very long answer');
    await waitFor(() => replyText(first), (text) => text.includes('part5 '));

    const { dataDir, configFile } = goosed;
    const port = Number(new URL(goosed.url).port);
    await goosed.close();
    const notice = first.locator('.chat > .notice');
    await notice.getByText('Connection lost — reconnecting…').waitFor();
    // In flow above the conversation: it covers none of it.
    const noticeBox = (await notice.boundingBox())!;
    const logBox = (await first.locator('.log').boundingBox())!;
    expect(noticeBox.y + noticeBox.height).toBeLessThanOrEqual(logBox.y);
    await first.screenshot({ path: `${SHOTS}/connection-lost.png` });

    goosed = await startTestServer({ dataDir, configFile, port });
    await notice.getByText('Reconnected. The server restarted meanwhile: the reply that was running was interrupted, and what it wrote is kept.').waitFor({ timeout: 45_000 });
    const reply = lastReply(first);
    // One notice on the reply: no alert besides the line that says how it ended.
    expect(await reply.locator('.message-ending').allInnerTexts()).toEqual(['Interrupted: the server stopped while this reply was running.']);
    expect(await reply.locator('[role=alert]').count()).toBe(0);
    expect(await replyText(first)).toMatch(/^part0 part1 part2 part3 part4 part5 /);
    expect((await listMessages(goosed, sessionId)).at(-1)).toMatchObject({ role: 'assistant', status: 'interrupted' });
    await first.screenshot({ path: `${SHOTS}/restarted.png` });

    await first.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
  });

  it('loaded nothing from elsewhere and broke no rule of the page CSP', () => {
    // The browser logs the stream cut by the stop and the connections refused while the server was
    // down (net::ERR_…); nothing else may show.
    expect(problems.filter((problem) => !/^Failed to load resource: net::ERR_/.test(problem))).toEqual([]);
  });
});
