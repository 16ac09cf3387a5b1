// The shape of src/extensions/ that issue 12 asked for, read from the source: one tool contract,
// MCP modules without an import circle, extension errors that leave the HTTP status to the routes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCircles, importsOf, sourceFiles, SRC } from './support/import-graph.js';

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
