import type { SessionSummary } from '../api/sessions.js';
import type { ExposedTool, ExtensionInstructions } from '../extensions/tool.js';

/**
 * Most characters of one extension's instructions put in the prompt (about 2,000 tokens): a server
 * is written by someone else, and its instructions are sent with every model call of every reply.
 */
export const MAX_EXTENSION_INSTRUCTIONS_CHARS = 8_000;

/** The instructions every reply starts from: who the agent is, where it works, what it can use. */
export function buildSystemPrompt(session: SessionSummary, tools: readonly ExposedTool[], instructions: readonly ExtensionInstructions[] = []): string {
  const lines = [
    'You are goose, an AI agent that helps with software and everyday computer work.',
    `You are working in the directory ${session.working_directory}; relative paths mean paths inside it.`,
    `The current date and time is ${new Date().toISOString()}.`,
  ];
  if (tools.length > 0) {
    lines.push(
      'Use the tools offered when they help. Tool names are <extension>__<tool>.',
      'A tool call may need the user\'s approval; if it is denied, respect that and do not retry the same call.',
    );
    if (instructions.length > 0) lines.push('', ...extensionSections(instructions));
  } else {
    lines.push('No tools are available in this session: answer with text only.');
  }
  return lines.join('\n');
}

function extensionSections(instructions: readonly ExtensionInstructions[]): string[] {
  const lines = ['# Extension instructions', 'The extensions below gave these instructions for using their tools (named <extension>__<tool>).'];
  for (const { extension, text } of instructions) {
    lines.push('', `## ${extension}`, capped(extension, text));
  }
  return lines;
}

function capped(extension: string, text: string): string {
  if (text.length <= MAX_EXTENSION_INSTRUCTIONS_CHARS) return text;
  let end = MAX_EXTENSION_INSTRUCTIONS_CHARS;
  // Never split a surrogate pair: half a character is not valid text for the provider.
  if (/[\uD800-\uDBFF]/.test(text[end - 1])) end--;
  return `${text.slice(0, end)}\n[The instructions of the ${extension} extension were cut here: ${end} of ${text.length} characters are shown.]`;
}
