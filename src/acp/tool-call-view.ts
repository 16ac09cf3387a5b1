import { isAbsolute, resolve } from 'node:path';
import type { Diff, ToolCall, ToolCallContent, ToolCallLocation, ToolCallStatus, ToolKind } from '@agentclientprotocol/sdk';
import type { ToolCallPart } from '../client/types.js';

// How a goosed tool call looks in an editor: ACP's kind (the icon), a title, the files it touches
// (editors follow along), and for file edits a diff, made from the call's own arguments so that a
// permission request already shows what would change.

export interface ToolCallView {
  title: string;
  kind: ToolKind;
  locations: ToolCallLocation[];
  /** For the developer extension's edits; null otherwise. */
  diff: Diff | null;
}

const TITLE_LENGTH = 120;

/** A call as the editor first sees it, and is asked about: pending, with the diff of an edit. */
export function pendingToolCall(toolCallId: string, view: ToolCallView, rawInput: Record<string, unknown>): ToolCall {
  const content: ToolCallContent[] = view.diff ? [{ type: 'diff', ...view.diff }] : [];
  return { toolCallId, title: view.title, kind: view.kind, status: 'pending', rawInput, locations: view.locations, content };
}

export function viewOfToolCall(tool: string, args: Record<string, unknown>, workingDirectory: string): ToolCallView {
  const [extension, name] = splitToolName(tool);
  const path = typeof args.path === 'string' ? absolute(args.path, workingDirectory) : null;
  const at = (kind: ToolKind, title: string, diff: Diff | null = null): ToolCallView => ({
    title: shorten(title),
    kind,
    locations: path ? [{ path }] : [],
    diff,
  });
  if (extension === 'developer') {
    const text = (key: string) => (typeof args[key] === 'string' ? (args[key] as string) : '');
    switch (name) {
      case 'shell':
        return at('execute', `\`${text('command')}\``);
      case 'view':
        return at('read', `Read ${path ?? ''}`);
      case 'create':
        return at('edit', `Write ${path ?? ''}`, path ? { path, oldText: null, newText: text('file_text') } : null);
      case 'str_replace':
        return at('edit', `Edit ${path ?? ''}`, path ? { path, oldText: text('old_str'), newText: text('new_str') } : null);
      case 'insert':
        // A snippet diff: nothing before, the inserted lines after.
        return at('edit', `Insert into ${path ?? ''} after line ${String(args.insert_line ?? '?')}`, path ? { path, oldText: '', newText: text('new_str') } : null);
      case 'undo':
        return at('edit', `Undo the last edit of ${path ?? ''}`);
    }
  }
  const subject = mainArgument(args);
  return at(guessKind(name), `${extension ? `${extension}: ` : ''}${name}${subject ? ` ${subject}` : ''}`);
}

/** ACP's status of a goosed tool call. */
export function statusOfToolCall(status: ToolCallPart['status']): ToolCallStatus {
  switch (status) {
    case 'pending':
    case 'awaiting_approval':
      return 'pending';
    case 'running':
      return 'in_progress';
    case 'done':
      return 'completed';
    default:
      return 'failed';
  }
}

/** What a finished call shows: the diff when an edit succeeded, then the tool's own text. */
export function resultContent(view: ToolCallView, result: { content: string; is_error: boolean }): ToolCallContent[] {
  const content: ToolCallContent[] = [];
  if (view.diff && !result.is_error) content.push({ type: 'diff', ...view.diff });
  if (result.content) content.push({ type: 'content', content: { type: 'text', text: result.content } });
  return content;
}

function splitToolName(tool: string): [string, string] {
  const separator = tool.indexOf('__');
  return separator < 0 ? ['', tool] : [tool.slice(0, separator), tool.slice(separator + 2)];
}

function absolute(path: string, workingDirectory: string): string {
  return isAbsolute(path) ? path : resolve(workingDirectory, path);
}

/** The argument a person would name the call by. */
function mainArgument(args: Record<string, unknown>): string | null {
  for (const key of ['path', 'file', 'filename', 'url', 'uri', 'query', 'pattern', 'command', 'name']) {
    if (typeof args[key] === 'string' && args[key]) return args[key] as string;
  }
  return null;
}

const KIND_WORDS: [RegExp, ToolKind][] = [
  [/(^|_)(delete|remove|rm|unlink)(_|$)/, 'delete'],
  [/(^|_)(move|rename|mv)(_|$)/, 'move'],
  [/(^|_)(search|find|grep|query|lookup)(_|$)/, 'search'],
  [/(^|_)(fetch|download|http|browse|scrape)(_|$)/, 'fetch'],
  [/(^|_)(write|edit|create|update|replace|patch|insert|append|set)(_|$)/, 'edit'],
  [/(^|_)(read|get|list|view|show|cat|open|describe)(_|$)/, 'read'],
  [/(^|_)(run|exec|execute|shell|command|bash|eval)(_|$)/, 'execute'],
  [/(^|_)(think|plan|reason)(_|$)/, 'think'],
];

/** An MCP tool's kind, guessed from the words of its name (`read_file` reads, `search_issues` searches). */
function guessKind(name: string): ToolKind {
  const words = name
    .replace(/([a-z])([A-Z0-9])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  return KIND_WORDS.find(([pattern]) => pattern.test(words))?.[1] ?? 'other';
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}
