import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { removeDirectory, startTestServer, temporaryDirectory, waitFor, type TestServer } from './support/goosed.js';
import { ensureWebBuilt, launchChromium, watchForProblems } from './support/browser.js';

// A new user's first session, in a real browser against a real goosed and the scripted LLM: every
// step goes through the page, and the server's API confirms what the page claims.

const SHOTS = 'test-output/web-ui';
let llm: ScriptedLlm;
let goosed: TestServer;
let browser: Browser;
let page: Page;
let problems: string[];
let workingDirectory: string;

beforeAll(async () => {
  [llm, goosed, browser] = await Promise.all([startScriptedLlm(), startTestServer(), ensureWebBuilt().then(launchChromium)]);
  workingDirectory = temporaryDirectory('goosed-web-');
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  page.setDefaultTimeout(10_000);
  problems = watchForProblems(page, goosed.url);
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await goosed?.close();
  await llm?.close();
  removeDirectory(workingDirectory);
});

const api = async (path: string, init?: Parameters<TestServer['request']>[1]) => (await goosed.request(path, init)).json();
const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
const lastReply = () => page.locator('article.message.assistant').last();
const replyText = async () => (await lastReply().locator('.markdown').allInnerTexts()).join('').trim();
const isRunning = () => page.getByRole('button', { name: 'Stop' }).isVisible();

async function send(text: string): Promise<void> {
  await page.getByLabel('Message').fill(text);
  // Sending waits until the page follows the session, so no event of the reply can be missed.
  await page.locator('.composer button[type=submit]:enabled').waitFor();
  await page.keyboard.press('Enter');
  await page.locator('article.message.user', { hasText: text }).last().waitFor();
}

async function currentSessionId(): Promise<string> {
  return decodeURIComponent(new URL(page.url()).hash.replace('#/sessions/', ''));
}

describe('the web interface, for a new user', () => {
  it('opens at / with nothing set up, and sets up the provider', async () => {
    await page.goto(goosed.url);
    await page.getByRole('heading', { name: 'Welcome to goosed' }).waitFor();
    await page.getByText('Set up a provider').waitFor();
    await shot('home');

    await page.getByRole('link', { name: 'Provider', exact: true }).click();
    await page.getByLabel('Provider', { exact: true }).selectOption('openai');
    await page.getByLabel('Model', { exact: true }).fill('scripted-model');
    await page.getByLabel('API key', { exact: true }).fill('sk-test-key-for-the-browser-0001');
    await page.getByLabel('Base URL', { exact: true }).fill(`${llm.url}/v1`);
    await page.getByRole('button', { name: 'Save and use' }).click();
    await page.getByText('OpenAI with scripted-model is now in use.').waitFor();
    expect(await api('/api/providers/current')).toEqual({ name: 'openai', model: 'scripted-model', base_url: `${llm.url}/v1` });
    // The key went to the server and is never shown again, only its end.
    expect(await page.content()).not.toContain('sk-test-key-for-the-browser-0001');
    await shot('provider');
  });

  it('adds, toggles and removes extensions', async () => {
    await page.getByRole('link', { name: 'Extensions' }).click();
    await page.getByRole('checkbox', { name: /Allow shell commands/ }).check();
    await page.getByRole('button', { name: 'Add extension' }).click();
    const developer = page.locator('li.extension', { hasText: 'developer' });
    await developer.getByText('shell', { exact: true }).waitFor();

    await page.getByRole('radio', { name: 'MCP server at a URL' }).check();
    await page.getByLabel('Name', { exact: true }).fill('remote');
    await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/mcp');
    await page.getByRole('button', { name: 'Add extension' }).click();
    const remote = page.locator('li.extension', { hasText: 'remote' });
    await remote.waitFor();

    await remote.getByRole('switch', { name: 'Enabled' }).click();
    await waitFor(() => remote.getByRole('switch', { name: 'Enabled' }).isChecked(), (checked) => !checked);
    expect((await api('/api/extensions/remote')).enabled).toBe(false);
    await shot('extensions');
    await remote.getByRole('button', { name: 'Remove…' }).click();
    await remote.getByRole('button', { name: 'Remove', exact: true }).click();
    await remote.waitFor({ state: 'detached' });
    expect((await api('/api/extensions')).map((extension: { name: string }) => extension.name)).toEqual(['developer']);
  });

  it('sets the execution mode', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: /Approve every tool/ }).check();
    await page.getByText('Saved.').waitFor();
    expect((await api('/api/config')).execution_mode).toBe('approve');
    await shot('settings');
  });

  it('creates a session and watches a reply stream in', async () => {
    await page.getByRole('button', { name: 'New session' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Demo project');
    await page.getByLabel('Working directory', { exact: true }).fill(workingDirectory);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Demo project' }).waitFor();

    const words = 'Hello! I am streaming this answer piece by piece, so you can watch every word of it arrive.'.split(/(?<= )/);
    llm.enqueue({ text: words, chunkDelayMs: 60 });
    await send('Say hello slowly');
    // Part of the reply is on screen while the rest is still coming.
    const partial = await waitFor(replyText, (text) => text.length > 0 && text.length < words.join('').trim().length);
    expect(await isRunning()).toBe(true);
    expect(words.join('').startsWith(partial)).toBe(true);
    await waitFor(replyText, (text) => text === words.join('').trim());
    await page.getByRole('button', { name: 'Send' }).waitFor();
    expect(await lastReply().locator('.usage').innerText()).toMatch(/tokens/);
  });

  it('asks before a tool call and runs it once allowed', async () => {
    llm.enqueue(
      { toolCalls: [{ id: 'call_echo', name: 'developer__shell', arguments: { command: 'echo approved-by-browser' } }] },
      { text: 'The command printed approved-by-browser.' },
    );
    await send('Run echo in the shell');
    const card = page.locator('.tool-card', { hasText: 'shell' }).last();
    await card.getByRole('button', { name: 'Allow once' }).waitFor();
    expect(await card.locator('pre.command').innerText()).toContain('echo approved-by-browser');
    await shot('approval');
    await card.getByRole('button', { name: 'Allow once' }).click();
    await card.locator('.tool-result', { hasText: 'approved-by-browser' }).waitFor();
    await waitFor(replyText, (text) => text === 'The command printed approved-by-browser.');
    expect(await card.locator('.badge').innerText()).toBe('Done');
    const approvals = await api(`/api/sessions/${await currentSessionId()}/approvals`);
    expect(approvals.map((approval: { decision: string }) => approval.decision)).toEqual(['allow_once']);
    await shot('chat');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('chat-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('stops a long reply with the Stop button', async () => {
    const aborted = llm.aborted;
    llm.enqueue({ text: Array.from({ length: 120 }, (_, index) => `word${index} `), chunkDelayMs: 60 });
    await send('Write something very long');
    await waitFor(replyText, (text) => text.includes('word3'));
    await page.getByRole('button', { name: 'Stop' }).click();
    await lastReply().getByText('Stopped.').waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor();
    const stoppedAt = await replyText();
    expect(stoppedAt).not.toContain('word119');
    const messages = await api(`/api/sessions/${await currentSessionId()}/messages`);
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', status: 'cancelled' });
    expect(llm.aborted).toBeGreaterThan(aborted);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await replyText()).toBe(stoppedAt);
  });

  it('keeps following a reply across a reload, losing and repeating nothing', async () => {
    // Fast enough that the moments between fetching the session and following its events again
    // would lose text if the page did not replay the reply from its start.
    const chunks = Array.from({ length: 150 }, (_, index) => `part${index} `);
    const full = chunks.join('').trim();
    llm.enqueue({ text: chunks, chunkDelayMs: 15 });
    await send('Count the parts');
    await waitFor(replyText, (text) => text.includes('part4 '));
    await page.reload();
    await page.getByRole('heading', { name: 'Demo project' }).waitFor();
    // After the reload the reply is rebuilt from its events and goes on: always an exact prefix.
    const seen: string[] = [];
    await waitFor(async () => {
      const text = await replyText();
      seen.push(text);
      return text;
    }, (text) => text === full, 15_000);
    const whileRunning = seen.filter((text) => text !== full);
    expect(whileRunning.length).toBeGreaterThan(0);
    for (const text of seen) expect(full.startsWith(text)).toBe(true);
    expect(whileRunning.some((text) => text.includes('part4'))).toBe(true);
  });

  it('renames, searches and deletes sessions', async () => {
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('Session name').fill('Demo project (renamed)');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Demo project (renamed)' }).waitFor();
    await page.locator('.session-link', { hasText: 'Demo project (renamed)' }).waitFor();

    const other = await api('/api/sessions', { method: 'POST', json: { name: 'Other work', working_directory: workingDirectory } });
    await page.getByLabel('Search sessions').fill('renamed');
    await page.locator('.session-link', { hasText: 'Other work' }).waitFor({ state: 'detached' });
    await page.getByLabel('Search sessions').fill('other');
    await page.locator('.session-link', { hasText: 'Other work' }).click();
    await page.getByRole('heading', { name: 'Other work' }).waitFor();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('heading', { name: 'Welcome to goosed' }).waitFor();
    expect((await goosed.request(`/api/sessions/${other.id}`)).status).toBe(404);
    await page.getByLabel('Search sessions').fill('');
    await page.locator('.session-link', { hasText: 'Demo project (renamed)' }).waitFor();
    expect(await page.locator('.session-link', { hasText: 'Other work' }).count()).toBe(0);
  });

  it('loaded nothing from elsewhere and broke no rule of its Content-Security-Policy', () => {
    expect(problems).toEqual([]);
  });
});

describe('the web interface on a server with a key', () => {
  const key = 'web-ui-test-key-0123456789abcdef';
  let locked: TestServer;
  beforeAll(async () => {
    locked = await startTestServer({ secretKey: key });
  });
  afterAll(() => locked.close());

  it('takes the key from a ?key= link once, and asks for it otherwise', async () => {
    const linked = await browser.newPage();
    await linked.goto(`${locked.url}/?key=${key}`);
    await linked.getByRole('heading', { name: 'Welcome to goosed' }).waitFor();
    expect(new URL(linked.url()).search).toBe('');
    expect(await linked.evaluate(() => sessionStorage.getItem('goosed.key'))).toBe(key);
    await linked.close();

    const fresh = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    await fresh.goto(locked.url);
    await fresh.getByRole('heading', { name: 'This server needs its key' }).waitFor();
    await fresh.screenshot({ path: `${SHOTS}/key.png` });
    await fresh.keyboard.type('not-the-key');
    await fresh.keyboard.press('Enter');
    await fresh.getByText('That key was not accepted.').waitFor();
    await fresh.keyboard.type(key);
    await fresh.keyboard.press('Enter');
    await fresh.getByRole('heading', { name: 'Welcome to goosed' }).waitFor();
    await fresh.close();
  });
});
