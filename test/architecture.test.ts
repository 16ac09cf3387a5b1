// The layout of src/ (docs/architecture.md), read from the source: the imports between its
// folders point one way, and no module imports itself through others.
import { describe, expect, it } from 'vitest';
import { importCircles, importsOf, sourceFiles } from './support/import-graph.js';

/**
 * What each part of src/ may import besides itself. Read down: a part may use those below it.
 * server/ and acp/ are the doors (acp/ reaches goosed only through the typed client); agent/ and sessions/ the domains they drive; events/,
 * providers/, extensions/ and store/ what those stand on; config/ and api/ the bottom.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'cli.ts': ['launcher', 'server', 'acp', 'config', 'version.ts'],
  acp: ['client', 'config', 'version.ts'],
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

/** The part of src/ a module belongs to: its top folder, or the file itself at the top. */
const partOf = (file: string) => file.split('/')[0];

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
    expect(importCircles(files)).toEqual([]);
  });

  it('resolves every relative import to a module of src/', () => {
    const missing = [...graph].flatMap(([file, imports]) => imports.filter((target) => !graph.has(target) && !graph.has(target.replace(/\.ts$/, '.tsx'))).map((target) => `${file} -> ${target}`));
    expect(missing).toEqual([]);
  });
});
