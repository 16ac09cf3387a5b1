// The layout of src/ (docs/architecture.md), read from the source: the imports between its
// folders point one way, and no module imports itself through others.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * What each part of src/ may import besides itself. Read down: a part may use those below it.
 * server/ (and later acp/) are the doors; agent/ and sessions/ the domains they drive; events/,
 * providers/, extensions/ and store/ what those stand on; config/ and api/ the bottom.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'cli.ts': ['launcher', 'server', 'config', 'version.ts'],
  server: ['agent', 'sessions', 'events', 'providers', 'extensions', 'store', 'config', 'api', 'version.ts'],
  agent: ['events', 'providers', 'extensions', 'store', 'config', 'api'],
  sessions: ['events', 'store', 'config', 'api'],
  events: ['store', 'api'],
  providers: ['store', 'api'],
  extensions: ['store', 'api', 'version.ts'],
  store: ['api'],
  config: ['api'],
  api: [],
  'version.ts': [],
  // The typed client and the launcher ship apart from the server: they import none of it.
  client: [],
  launcher: [],
};

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) => /\.tsx?$/.test(file));
}

/** The src-relative modules a file imports: static, type-only, re-exported and dynamic alike. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const specifiers = [...text.matchAll(/\bfrom\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)|^import\s+'(\.[^']+)'/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
  return specifiers.map((specifier) => relative(SRC, join(SRC, dirname(file), specifier)).replace(/\.js$/, '.ts'));
}

/** The part of src/ a module belongs to: its top folder, or the file itself at the top. */
const partOf = (file: string) => file.split('/')[0];

/** Each circle once, as the modules around it. */
function importCircles(graph: Map<string, string[]>): string[][] {
  const circles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) circles.push(path.slice(at));
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return circles;
}

const files = sourceFiles();
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('the layout of src/', () => {
  it('knows every part of src/', () => {
    expect([...new Set(files.map(partOf))].filter((part) => !(part in MAY_IMPORT))).toEqual([]);
  });

  it('imports only downward between parts', () => {
    const wrong: string[] = [];
    for (const [file, imports] of graph) {
      const from = partOf(file);
      for (const target of imports) {
        const to = partOf(target);
        if (to !== from && !MAY_IMPORT[from].includes(to)) wrong.push(`${file} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no circle of imports', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('resolves every relative import to a module of src/', () => {
    const missing = [...graph].flatMap(([file, imports]) => imports.filter((target) => !graph.has(target) && !graph.has(target.replace(/\.ts$/, '.tsx'))).map((target) => `${file} -> ${target}`));
    expect(missing).toEqual([]);
  });
});
