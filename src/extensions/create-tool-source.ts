// Builds the ToolSource for one configured extension. MCP code (and the SDK) is not imported here:
// mcp/mcp-extension.ts loads it on first use, so creating extensions at start-up spawns and loads nothing.
import { z } from 'zod';
import type { ExtensionType } from '../api/extensions.js';
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
    throw new ExtensionConfigError(oneLineConfigError(`Invalid config for extension "${extension.name}":\n${z.prettifyError(error)}`));
  }
}

/** zod's text ("✖ problem\n  → at path" lines) as one sentence naming the fields. */
function oneLineConfigError(message: string): string {
  return message
    .replace(/\n?✖ (.*)\n\s*→ at (\S+)/g, (_match, problem: string, path: string) => ` config.${path}: ${problem};`)
    .replace(/\n\s*/g, ' ')
    .replace(/:\s*$|;\s*$/, '.')
    .trim();
}
