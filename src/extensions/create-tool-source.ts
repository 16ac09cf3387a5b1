// Builds the ToolSource for one configured extension. MCP code (and the SDK) is not imported here:
// mcp/mcp-extension.ts loads it on first use, so creating extensions at start-up spawns and loads nothing.
import { z } from 'zod';
import type { ExtensionType } from '../api/extensions.js';
import { issueSentences } from '../api/issue-sentences.js';
import { withoutPassthrough, type ChildEnvironment } from './child-environment.js';
import { createDeveloperExtension } from './developer/index.js';
import { ExtensionConfigError } from './extension-errors.js';
import type { McpExtensionConfig } from './mcp/mcp-config.js';
import { createMcpExtension } from './mcp/mcp-extension.js';
import type { ToolSource } from './tool.js';

export interface ExtensionDefinition {
  name: string;
  type: ExtensionType;
  config: Record<string, unknown>;
}

const builtinExtensions: Record<string, (config: Record<string, unknown>, environment: ChildEnvironment) => ToolSource> = {
  developer: (config, environment) => createDeveloperExtension(config, environment),
};

/**
 * Checks the config here, at the edge: throws ExtensionConfigError, whose message names the fields
 * at fault; never starts anything. `environment` gives the processes the extension starts their environment.
 */
export function createToolSource(extension: ExtensionDefinition, environment: ChildEnvironment = withoutPassthrough): ToolSource {
  try {
    if (extension.type !== 'builtin') {
      return createMcpExtension(extension.name, { ...extension.config, type: extension.type } as McpExtensionConfig, environment);
    }
    const create = builtinExtensions[extension.name];
    if (!create) {
      const known = Object.keys(builtinExtensions).join(', ');
      throw new ExtensionConfigError(`Unknown built-in extension "${extension.name}". Built-in extensions: ${known}.`);
    }
    return create(extension.config, environment);
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    const problems = issueSentences(error.issues, { prefix: 'config', root: 'config', input: extension.config });
    throw new ExtensionConfigError(`The config of extension "${extension.name}" is not valid: ${problems}.`);
  }
}
