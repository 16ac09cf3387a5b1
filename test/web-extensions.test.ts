import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from './support/goosed.js';
import { getExtension, streamReply } from './support/extensions.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { ensureWebBuilt, launchChromium, watchForProblems } from './support/browser.js';
import { startMcpHttpServer, type McpHttpServer } from './fixtures/mcp-http-server.js';

// Extensions as a person adds and edits them in the page: the shell off until asked for, a command
// line pasted whole and shown split before it is saved, settings edited in place (secrets kept),
// and failures told in sentences. Each claim is checked against the API and the MCP servers.

const SHOTS = 'test-output/web-extensions';
const STDIO_FIXTURE = fileURLToPath(new URL('./fixtures/mcp-stdio-server.ts', import.meta.url));
let harness: ReplyHarness;
let mcpHttp: McpHttpServer;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  [harness, mcpHttp, browser] = await Promise.all([startReplyHarness(), startMcpHttpServer(), ensureWebBuilt().then(launchChromium)]);
  page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  page.setDefaultTimeout(20_000);
  problems = watchForProblems(page, harness.goosed.url);
  mkdirSync(SHOTS, { recursive: true });
  await page.goto(`${harness.goosed.url}/#/extensions`);
  await page.getByRole('heading', { name: 'Extensions' }).waitFor();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await harness?.close();
  await mcpHttp?.close();
});

const card = (name: string) => page.locator('li.extension', { has: page.locator('strong', { hasText: new RegExp(`^${name}$`) }) });
const addForm = () => page.locator('form', { has: page.getByRole('heading', { name: 'Add an extension' }) });
const formError = () => addForm().locator('.error-text[role=alert]');

async function addCommand(name: string, commandLine: string, env = ''): Promise<void> {
  await addForm().getByRole('radio', { name: 'MCP server started as a command' }).check();
  await addForm().getByLabel('Name', { exact: true }).fill(name);
  await addForm().getByLabel('Command', { exact: true }).fill(commandLine);
  await addForm().getByLabel('Environment', { exact: true }).fill(env);
  await addForm().getByRole('button', { name: 'Add extension' }).click();
}

/** The chips of the command's split: program, then the arguments. */
async function shownSplit(form: Locator): Promise<{ program: string[]; args: string[] }> {
  const split = form.locator('.command-split');
  return { program: await split.locator('dd').nth(0).locator('code').allInnerTexts(), args: await split.locator('dd').nth(1).locator('code').allInnerTexts() };
}

describe('the built-in developer tools', () => {
  it('are added with the shell off unless it is ticked, saying what the shell allows', async () => {
    const shell = addForm().getByRole('checkbox', { name: 'Allow shell commands' });
    expect(await shell.isChecked()).toBe(false);
    expect(await addForm().getByText(/Lets the agent run any command in the session's working directory/).isVisible()).toBe(true);
    await addForm().getByRole('button', { name: 'Add extension' }).click();
    await card('developer').getByText('Shell commands off (file editing only)').waitFor();
    expect((await getExtension(harness.goosed, 'developer')).config).toEqual({ allow_shell: false });
  });

  it('turn the shell on by editing the extension in place', async () => {
    await card('developer').getByRole('button', { name: 'Edit…' }).click();
    await card('developer').getByRole('checkbox', { name: 'Allow shell commands' }).check();
    await card('developer').getByRole('button', { name: 'Save' }).click();
    await card('developer').getByText('Shell commands allowed').waitFor();
    expect((await getExtension(harness.goosed, 'developer')).config).toEqual({ allow_shell: true });
  });

  it('added a second time, say what to do in the page, not which API call to make', async () => {
    await addForm().getByRole('button', { name: 'Add extension' }).click();
    await formError().waitFor();
    expect(await formError().innerText()).toBe('An extension with this name exists already: change it with its Edit button in the list, or choose another name.');
  });
});

describe('an MCP server started as a command', () => {
  const commandLine = `${process.execPath} --import tsx ${STDIO_FIXTURE} 'two words'`;

  it('takes the command line as pasted, shows how it splits, and starts the server', async () => {
    await addForm().getByRole('radio', { name: 'MCP server started as a command' }).check();
    await addForm().getByLabel('Command', { exact: true }).fill(commandLine);
    expect(await shownSplit(addForm())).toEqual({ program: [process.execPath], args: ['--import', 'tsx', STDIO_FIXTURE, 'two words'] });
    await page.screenshot({ path: `${SHOTS}/command-split.png` });
    await addCommand('fixture', commandLine, 'FIXTURE_SECRET=s3cret-value');
    await card('fixture').locator('.badge.running').waitFor();
    await card('fixture').locator('.tool-chip', { hasText: /^echo\b/ }).waitFor();
    const stored = await getExtension(harness.goosed, 'fixture');
    expect(stored.config).toMatchObject({ command: process.execPath, args: ['--import', 'tsx', STDIO_FIXTURE, 'two words'], env: { FIXTURE_SECRET: '********' } });
  });

  it('edits the command line, keeping the masked environment value it did not touch', async () => {
    await card('fixture').getByRole('button', { name: 'Edit…' }).click();
    const form = card('fixture').locator('form');
    // The stored command as one line again, quoted where it has to be; the secret masked.
    expect(await form.getByLabel('Command', { exact: true }).inputValue()).toBe(commandLine);
    expect(await form.getByLabel('Environment', { exact: true }).inputValue()).toBe('FIXTURE_SECRET=********');
    await form.getByLabel('Command', { exact: true }).fill(`${commandLine} "three words here"`);
    expect((await shownSplit(form)).args).toEqual(['--import', 'tsx', STDIO_FIXTURE, 'two words', 'three words here']);
    await page.screenshot({ path: `${SHOTS}/edit-command.png` });
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect((await getExtension(harness.goosed, 'fixture')).config.args).toEqual(['--import', 'tsx', STDIO_FIXTURE, 'two words', 'three words here']);

    // The restarted server got the stored secret, not the mask.
    const session = await createSession(harness.goosed, { execution_mode: 'auto' });
    harness.llm.enqueue({ toolCalls: [{ name: 'fixture__environment', arguments: {} }] }, { text: 'Read it.' });
    const { results } = await streamReply(harness.goosed, session.id, 'What is in your environment?');
    const [environment] = [...results.values()];
    expect(JSON.parse(environment.content).FIXTURE_SECRET).toBe('s3cret-value');
  });

  it('refuses shell syntax before sending anything, saying why', async () => {
    await addForm().getByRole('radio', { name: 'MCP server started as a command' }).check();
    await addForm().getByLabel('Command', { exact: true }).fill('npx some-server | tee server.log');
    const split = addForm().locator('.command-split');
    expect(await split.innerText()).toBe('"|" is shell syntax, and the command runs without a shell. Put it in a script, or start it as: sh -c "…"');
    await addCommand('piped', 'npx some-server | tee server.log');
    await formError().waitFor();
    expect(await formError().innerText()).toContain('"|" is shell syntax');
    expect((await (await harness.goosed.request('/api/extensions')).json()).map((extension: { name: string }) => extension.name)).not.toContain('piped');
  });

  it('shows a program that is not an MCP server as such', async () => {
    await addCommand('not-mcp', 'echo hello');
    await card('not-mcp').locator('.badge.failed').waitFor();
    expect(await card('not-mcp').locator('.error-text').innerText()).toBe('the program did not answer as an MCP server: it exited with code 0');
    await card('not-mcp').screenshot({ path: `${SHOTS}/not-mcp.png` });
  });

  it("shows the server's refusal of a bad name as the sentence it is", async () => {
    await addCommand('two__parts', 'echo hello');
    await formError().waitFor();
    expect(await formError().innerText()).toBe('The request body is not valid: name must not contain "__" (it separates extension and tool names).');
  });
});

describe('an MCP server at a URL', () => {
  it('edits the URL and headers in place; a masked header keeps its stored value', async () => {
    await addForm().getByRole('radio', { name: 'MCP server at a URL' }).check();
    await addForm().getByLabel('Name', { exact: true }).fill('remote');
    await addForm().getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/mcp');
    await addForm().getByLabel('Headers', { exact: true }).fill('X-Api-Key: key-s3cret');
    await addForm().getByRole('button', { name: 'Add extension' }).click();
    await card('remote').waitFor();
    await harness.goosed.request('/api/extensions/start', { method: 'POST' });
    await page.reload();
    await card('remote').locator('.badge.failed').waitFor();

    await card('remote').getByRole('button', { name: 'Edit…' }).click();
    const form = card('remote').locator('form');
    expect(await form.getByLabel('Headers', { exact: true }).inputValue()).toBe('X-Api-Key: ********');
    await form.getByLabel('URL', { exact: true }).fill(mcpHttp.url);
    await form.getByLabel('Headers', { exact: true }).fill('X-Api-Key: ********\nX-Extra: more');
    const before = mcpHttp.requestHeaders.length;
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    const started = await (await harness.goosed.request('/api/extensions/start', { method: 'POST' })).json();
    expect(started.find((extension: { name: string }) => extension.name === 'remote')).toMatchObject({ state: 'running', config: { url: mcpHttp.url, headers: { 'X-Api-Key': '********', 'X-Extra': '********' } } });
    const sent = mcpHttp.requestHeaders.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((headers) => headers['x-api-key'] === 'key-s3cret' && headers['x-extra'] === 'more')).toBe(true);
    await page.reload();
    await card('remote').locator('.badge.running').waitFor();
    await page.screenshot({ path: `${SHOTS}/extensions.png`, fullPage: true });
  });

  it('never told the person to call the API, and loaded nothing from elsewhere', async () => {
    expect(await page.locator('main').innerText()).not.toMatch(/POST |PATCH |\/api\//);
    expect(problems).toEqual([]);
  });
});
