import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { removeDirectory, startTestServer, temporaryDirectory, useScriptedProvider, waitFor, type TestServer } from './support/goosed.js';
import { ensureWebBuilt, launchChromium, watchForProblems } from './support/browser.js';

// Where a session works and which model answers it, set up through the page: `~` in the new-session
// form, the default working directory in Settings, and the provider and model of one session in its
// header. The API confirms what the page claims. This file's process has a home of its own (HOME).

const SHOTS = 'test-output/web-session-setup';
let llm: ScriptedLlm;
let goosed: TestServer;
let browser: Browser;
let page: Page;
let problems: string[];
let home: string;
const previousHome = process.env.HOME;

beforeAll(async () => {
  home = temporaryDirectory('goosed-web-home-');
  mkdirSync(join(home, 'projects', 'site'), { recursive: true });
  process.env.HOME = home;
  [llm, goosed, browser] = await Promise.all([startScriptedLlm(), startTestServer(), ensureWebBuilt().then(launchChromium)]);
  // Anthropic is configured, then OpenAI, which is current.
  await useScriptedProvider(goosed, llm.url, 'anthropic');
  await useScriptedProvider(goosed, llm.url, 'openai');
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  page.setDefaultTimeout(15_000);
  problems = watchForProblems(page, goosed.url);
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  process.env.HOME = previousHome;
  await browser?.close();
  await goosed?.close();
  await llm?.close();
  if (goosed) removeDirectory(goosed.dataDir);
  removeDirectory(home);
});

const api = async (path: string, init?: Parameters<TestServer['request']>[1]) => (await goosed.request(path, init)).json();
const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
const sessionIdInAddress = () => decodeURIComponent(new URL(page.url()).hash.replace('#/sessions/', ''));
const directoryInput = () => page.getByLabel('Working directory', { exact: true });

describe('working directories in the page', () => {
  it('the new-session form shows the default and takes ~/…', async () => {
    await page.goto(goosed.url);
    await page.getByRole('button', { name: 'New session' }).click();
    await waitFor(() => directoryInput().getAttribute('placeholder'), (placeholder) => placeholder === '~ (the default)');
    await page.getByLabel('Name', { exact: true }).fill('Site');
    await directoryInput().fill('~/projects/site');
    await shot('new-session-tilde');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Site' }).waitFor();
    const expected = join(realpathSync(home), 'projects', 'site');
    await page.locator('.chat-facts', { hasText: expected }).waitFor();
    expect((await api(`/api/sessions/${sessionIdInAddress()}`)).working_directory).toBe(expected);
  });

  it('Settings changes the default working directory, and says why when it cannot', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const field = page.getByLabel('Default working directory');
    expect(await field.inputValue()).toBe('~');
    await field.fill('~/nowhere');
    await field.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'default_working_directory' }).waitFor();
    expect(await page.getByRole('alert').innerText()).toBe(`default_working_directory ${JSON.stringify(join(home, 'nowhere'))} does not exist.`);
    await shot('settings-directory-refused');
    await field.fill('~/projects');
    await field.press('Enter');
    await page.getByText('Saved.').waitFor();
    expect((await api('/api/config')).default_working_directory).toBe('~/projects');
    await shot('settings-directory');

    await page.getByRole('button', { name: 'New session' }).click();
    await waitFor(() => directoryInput().getAttribute('placeholder'), (placeholder) => placeholder === '~/projects (the default)');
    await page.getByLabel('Name', { exact: true }).fill('Defaulted');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Defaulted' }).waitFor();
    expect((await api(`/api/sessions/${sessionIdInAddress()}`)).working_directory).toBe(join(realpathSync(home), 'projects'));
  });
});

describe('the model of a session, in its header', () => {
  it("shows the server's provider and model, switches this session to another, and its replies use it", async () => {
    const fact = page.locator('.model-fact');
    await fact.waitFor();
    expect(await fact.innerText()).toBe("OpenAI · scripted-model (server's)");

    await page.getByRole('button', { name: 'Model…' }).click();
    const form = page.getByRole('form', { name: 'Provider and model' });
    await form.getByLabel('Provider').selectOption('anthropic');
    expect(await form.getByLabel('Model').getAttribute('placeholder')).toBe('scripted-model');
    await form.getByLabel('Model').fill('claude-chosen');
    await shot('choose-model');
    await form.getByRole('button', { name: 'Use' }).click();
    await form.waitFor({ state: 'detached' });
    await waitFor(() => fact.innerText(), (text) => text === 'Anthropic · claude-chosen');
    const id = sessionIdInAddress();
    expect(await api(`/api/sessions/${id}`)).toMatchObject({ provider: 'anthropic', model: 'claude-chosen' });

    llm.enqueue({ text: 'Claude answers here.' });
    await page.getByLabel('Message').fill('Who answers?');
    await page.locator('.composer button[type=submit]:enabled').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('article.message.assistant', { hasText: 'Claude answers here.' }).waitFor();
    expect(llm.requests.at(-1)).toMatchObject({ provider: 'anthropic', model: 'claude-chosen' });
    const messages = await api(`/api/sessions/${id}/messages`);
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', provider: 'anthropic', model: 'claude-chosen' });
    await shot('chat-own-model');

    // Back to the server's: the session follows the current provider again.
    await page.getByRole('button', { name: 'Model…' }).click();
    await form.getByLabel('Provider').selectOption('');
    expect(await form.getByLabel('Model').isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Use' }).click();
    await waitFor(() => fact.innerText(), (text) => text === "OpenAI · scripted-model (server's)");
    expect(await api(`/api/sessions/${id}`)).toMatchObject({ provider: null, model: null });
    expect(problems).toEqual([]);
  });
});
