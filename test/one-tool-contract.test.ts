// The shape of src/extensions/ that issue 12 asked for, read from the source: one tool contract,
// MCP modules without an import circle, extension errors that leave the HTTP status to the routes.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

/** The src-relative modules a file imports (static, type-only and dynamic imports alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const specifiers = [...text.matchAll(/\bfrom\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((match) => match[1] ?? match[2]);
  return specifiers.map((specifier) => relative(SRC, join(SRC, dirname(file), specifier)).replace(/\.js$/, '.ts'));
}

/** Each circle once, as the files around it. */
function importCircles(files: string[]): string[][] {
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
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
  for (const file of files) if (!done.has(file)) visit(file);
  return circles;
}

/** Where a type or interface of this name is declared in src/. */
function declarationsOf(name: string): string[] {
  const declaration = new RegExp(`^export (?:interface|type) ${name}\\b`, 'm');
  return sourceFiles('.').filter((file) => declaration.test(readFileSync(join(SRC, file), 'utf8')));
}

describe('the tool contract', () => {
  it('declares each of its types once, the wire types derived from the api/ schemas', () => {
    for (const name of ['ToolDefinition', 'ToolCallContext', 'ToolResult', 'ToolSource', 'ExposedTool', 'ToolCatalog', 'ExtensionInstructions', 'ToolProgress']) {
      expect(declarationsOf(name), name).toEqual(['extensions/tool.ts']);
    }
    expect(declarationsOf('ExtensionState')).toEqual(['api/extensions.ts']);
    expect(declarationsOf('AgentTool')).toEqual([]);
    const contract = readFileSync(join(SRC, 'extensions/tool.ts'), 'utf8');
    expect(contract).toMatch(/export type ToolProgress = Pick<z\.infer<typeof ToolProgressEvent>/);
  });

  it('is all the agent knows of extensions', () => {
    const fromAgent = sourceFiles('agent').flatMap(importsOf).filter((file) => file.startsWith('extensions/'));
    expect(new Set(fromAgent)).toEqual(new Set(['extensions/tool.ts']));
  });
});

describe('src/extensions/', () => {
  it('has no circle of imports', () => {
    expect(importCircles(sourceFiles('extensions'))).toEqual([]);
  });

  it('keeps MCP in mcp/, its config schema in a module of its own', () => {
    expect(sourceFiles('extensions/mcp').sort()).toEqual(
      ['mcp-config.ts', 'mcp-connection.ts', 'mcp-extension.ts', 'mcp-result-text.ts', 'stdio-process-transport.ts'].map((file) => join('extensions/mcp', file)),
    );
    expect(importsOf('extensions/mcp/mcp-connection.ts')).not.toContain('extensions/mcp/mcp-extension.ts');
  });

  it('throws errors with a code and leaves the HTTP status to the routes', () => {
    const withStatuses = sourceFiles('extensions').filter((file) => importsOf(file).includes('api/errors.ts'));
    expect(withStatuses).toEqual([]);
  });
});
