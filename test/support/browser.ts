import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { newestChange } from './build-freshness.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BUILT_PAGE = join(REPO, 'dist', 'web', 'index.html');

/**
 * The browser tests drive the built page in dist/web (what goosed serves). `npm ci` builds it; this
 * builds it again only when its sources changed since, so a test run never checks a stale page.
 */
export async function ensureWebBuilt(): Promise<void> {
  const builtAt = existsSync(BUILT_PAGE) ? statSync(BUILT_PAGE).mtimeMs : 0;
  const sourcesAt = Math.max(newestChange(join(REPO, 'web')), newestChange(join(REPO, 'src', 'client')));
  if (builtAt >= sourcesAt) return;
  const { build } = await import('vite');
  await build({ configFile: join(REPO, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

/** Debian's Chromium, headless and quiet (Playwright's own browser download does not work here). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Collects what should never happen on the page: script errors, CSP violations (console errors),
 * page files that fail to load, and requests to anywhere but goosed.
 */
export function watchForProblems(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    // The browser logs every API answer that is an error (a 404 for "no provider yet", a 401 before
    // the key); the page handles those. Failed page files are caught below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded')) problems.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !new URL(response.url()).pathname.startsWith('/api/')) problems.push(`${response.status()} for ${response.url()}`);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) problems.push(`fetched ${request.url()}`);
  });
  return problems;
}
