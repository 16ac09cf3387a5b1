import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, removeDirectory } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { factEchoingModel, longMessage } from './support/context-script.js';
import { ensureWebBuilt, launchChromium, watchForProblems } from './support/browser.js';

// The page shows where the model's view begins (a divider whose summary opens), how full the
// context is (a meter in the chat header), and compacts on demand (a button), live.

const SHOTS = 'test-output/web-context';
let harness: ReplyHarness;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  [harness, browser] = await Promise.all([startReplyHarness(), ensureWebBuilt().then(launchChromium)]);
  harness.llm.setFallback(factEchoingModel());
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, reducedMotion: 'reduce' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  problems = watchForProblems(page, harness.goosed.url);
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
  if (harness) removeDirectory(harness.goosed.dataDir);
});

describe('context in the chat', () => {
  it('shows the divider with its summary, the meter, and compacts on the button', async () => {
    const { goosed } = harness;
    const body = { name: 'openai', api_key: 'sk-test-key-for-scripted-llm-0001', model: 'scripted-model', base_url: `${harness.llm.url}/v1`, context_limit: 8000 };
    expect((await goosed.request('/api/providers', { method: 'POST', json: body })).status).toBe(200);
    const session = await createSession(goosed, { name: 'Long talk' });
    const send = (content: string) => goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content } });
    for (let i = 0; i < 3; i++) expect((await send(longMessage(i, 300, i === 0 ? 'FACT: the robot is called Pim. ' : ''))).status).toBe(200);
    const first = await (await goosed.request(`/api/sessions/${session.id}/compact`, { method: 'POST' })).json();

    await page.goto(`${goosed.url}/#/sessions/${session.id}`);
    await page.getByRole('heading', { name: 'Long talk' }).waitFor();
    // The divider follows the last message it replaces.
    const divider = page.locator('.summary-divider');
    await divider.waitFor();
    const messagesAbove = await divider.evaluate((node) => [...document.querySelectorAll('article.message')].filter((message) => message.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING).length);
    const history: { id: string }[] = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    expect(messagesAbove).toBe(history.findIndex((message) => message.id === first.summary.through_message_id) + 1);
    expect(messagesAbove).toBeGreaterThan(0);
    await divider.getByText('Earlier messages summarised').click();
    expect(await divider.locator('.summary-text').innerText()).toContain('FACT: the robot is called Pim.');
    const meter = page.locator('.context-meter');
    expect(await meter.innerText()).toMatch(/Context [\d.]+K? of 8K tokens/);
    expect(Number(await meter.locator('meter').getAttribute('value'))).toBeCloseTo(first.context.tokens / 8000, 2);
    await page.screenshot({ path: `${SHOTS}/divider.png` });

    // Two more turns, then the button: a second divider appears without a reload.
    for (let i = 3; i < 5; i++) expect((await send(longMessage(i, 300))).status).toBe(200);
    await page.locator('article.message.assistant').nth(4).waitFor();
    await page.getByRole('button', { name: 'Compact' }).click();
    await page.locator('.summary-divider').nth(1).waitFor();
    const summaries = await (await goosed.request(`/api/sessions/${session.id}/summaries`)).json();
    expect(summaries).toHaveLength(2);
    await page.locator('.summary-divider').nth(1).getByText('Earlier messages summarised').click();
    expect(await page.locator('.summary-divider').nth(1).locator('.summary-text').innerText()).toBe(summaries[1].text);
    await page.getByRole('button', { name: 'Compact' }).and(page.locator(':enabled')).waitFor();
    await page.screenshot({ path: `${SHOTS}/compacted.png` });
    expect(problems).toEqual([]);
  });
});
