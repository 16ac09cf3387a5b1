import type { Extension } from '../../../src/client/index.js';
import { joinCommandLine, splitCommandLine } from './command-line.js';

export type ExtensionKind = 'developer' | 'stdio' | 'streamable_http';

/** An extension's settings as the form holds them: text, as typed. */
export interface ExtensionDraft {
  allowShell: boolean;
  commandLine: string;
  /** NAME=value lines. */
  env: string;
  url: string;
  /** Name: value lines. */
  headers: string;
}

// The shell is off until a person turns it on, as in the API.
export const emptyDraft: ExtensionDraft = { allowShell: false, commandLine: '', env: '', url: '', headers: '' };

/** "KEY=value" (or "Name: value") lines into an object; blank lines are skipped. */
function parsePairs(text: string, separator: '=' | ':'): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const index = line.indexOf(separator);
    if (index <= 0) throw new Error(`"${line.trim()}" is not of the form ${separator === '=' ? 'NAME=value' : 'Name: value'}.`);
    pairs[line.slice(0, index).trim()] = line.slice(index + 1).trim();
  }
  return pairs;
}

function formatPairs(pairs: unknown, separator: '=' | ': '): string {
  if (!pairs || typeof pairs !== 'object') return '';
  return Object.entries(pairs as Record<string, unknown>)
    .map(([name, value]) => `${name}${separator}${String(value)}`)
    .join('\n');
}

/** What the edit form starts from. Secrets come masked (`********`); sent back unchanged, they keep their stored values. */
export function draftOf(extension: Extension): ExtensionDraft {
  const config = extension.config as Record<string, unknown>;
  const args = Array.isArray(config.args) ? config.args.map(String) : [];
  return {
    allowShell: config.allow_shell === true,
    commandLine: typeof config.command === 'string' ? joinCommandLine(config.command, args) : '',
    env: formatPairs(config.env, '='),
    url: typeof config.url === 'string' ? config.url : '',
    headers: formatPairs(config.headers, ': '),
  };
}

/**
 * The config to send for `kind`, on top of `base` (the stored config when editing, so settings the
 * form does not show, such as timeout_ms, are kept). Throws an Error for text it cannot use.
 */
export function configOf(kind: ExtensionKind, draft: ExtensionDraft, base: Record<string, unknown> = {}): Record<string, unknown> {
  if (kind === 'developer') return { ...base, allow_shell: draft.allowShell };
  if (kind === 'stdio') {
    const { program, args } = splitCommandLine(draft.commandLine);
    return { ...base, command: program, args, env: parsePairs(draft.env, '=') };
  }
  return { ...base, url: draft.url.trim(), headers: parsePairs(draft.headers, ':') };
}
