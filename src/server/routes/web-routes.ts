import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { HttpError } from '../http-error.js';
import type { App } from '../app-context.js';

// The web interface at `/` and the API reference at `/api/docs`: the files `npm run build` writes to
// dist/web (source in web/). They hold no data (the pages ask for the key), so they are public; the
// Host check still applies. Files are read on first use and compressed on first request; names under
// /assets/ carry content hashes and are cached by browsers for good, the pages are revalidated.

/** Everything the page loads comes from this server; nothing runs that is not one of its files. */
export const WEB_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The same for the API reference, whose stylesheet (Swagger UI's) draws its icons as data: images. */
export const DOCS_PAGE_CSP = WEB_PAGE_CSP.replace("img-src 'self'", "img-src 'self' data:");

/** The built pages: where each is served, and its CSP. Every other file is served at its own path. */
const PAGES: Record<string, { path: string; csp: string }> = {
  '/index.html': { path: '/', csp: WEB_PAGE_CSP },
  '/docs.html': { path: '/api/docs', csp: DOCS_PAGE_CSP },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.webmanifest', '.txt']);

const pageHeaders = (csp: string) => ({
  'Content-Security-Policy': csp,
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
});

interface WebFile {
  body: Uint8Array;
  /** Made on the first request that accepts it: Swagger UI alone is 1.5 MB to compress. */
  gzip: Uint8Array | undefined;
  compressible: boolean;
  type: string;
  etag: string;
  immutable: boolean;
  pageHeaders: Record<string, string>;
}

const PAGE_PATHS = new Set(Object.values(PAGES).map((page) => page.path));

/** The paths of the pages and their files (web/public holds only the icon): public, unlike the rest of /api. */
export function isWebPagePath(path: string): boolean {
  return PAGE_PATHS.has(path) || path === '/favicon.svg' || /^\/assets\/[^/]+$/.test(path);
}

/** dist/web beside the bundled dist/cli.js, or the repository's dist/web when running from source. */
export function defaultWebRoot(): string {
  const bundled = fileURLToPath(new URL('./web/', import.meta.url));
  if (existsSync(join(bundled, 'index.html'))) return bundled;
  return fileURLToPath(new URL('../../../dist/web/', import.meta.url));
}

function loadFiles(root: string): Map<string, WebFile> | null {
  if (!existsSync(join(root, 'index.html'))) return null;
  const files = new Map<string, WebFile>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const urlPath = `/${relative(root, path).split(sep).join('/')}`;
    const extension = extname(entry.name);
    const body = readFileSync(path);
    const page = PAGES[urlPath];
    files.set(page?.path ?? urlPath, {
      body,
      gzip: undefined,
      compressible: COMPRESSIBLE.has(extension) && body.length > 1024,
      type: CONTENT_TYPES[extension] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: urlPath.startsWith('/assets/'),
      pageHeaders: page ? pageHeaders(page.csp) : {},
    });
  }
  return files;
}

export function webRoutes(app: App, { root = defaultWebRoot() }: { root?: string } = {}): void {
  let files: Map<string, WebFile> | null = null;

  const serve = (c: Context) => {
    // Until the interface is built (`npm run dev` without a build), look again on each request.
    files ??= loadFiles(root);
    const file = files?.get(c.req.path);
    if (!file) {
      if (PAGE_PATHS.has(c.req.path) && !files) {
        throw new HttpError(503, 'web_interface_not_built', 'The web interface is not built yet: run `npm run build`, then reload.');
      }
      throw new HttpError(404, 'not_found', `Nothing at ${c.req.path}.`);
    }
    const headers: Record<string, string> = {
      'Content-Type': file.type,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: file.etag,
      'X-Content-Type-Options': 'nosniff',
      ...file.pageHeaders,
    };
    if (file.compressible) headers.Vary = 'Accept-Encoding';
    if (c.req.header('if-none-match')?.split(/\s*,\s*/).includes(file.etag)) return c.body(null, 304, headers);
    if (file.compressible && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      file.gzip ??= gzipSync(file.body, { level: 9 });
      return c.body(file.gzip as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Encoding': 'gzip' });
    }
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, headers);
  };

  for (const path of PAGE_PATHS) app.get(path, serve);
  app.get('/assets/:file', serve);
  app.get('/favicon.svg', serve);
}
