import type { SessionSummary } from '../api/sessions.js';
import type { AgentTool } from './agent-tools.js';

/** The instructions every reply starts from: who the agent is, where it works, what it can use. */
export function buildSystemPrompt(session: SessionSummary, tools: readonly AgentTool[]): string {
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
  } else {
    lines.push('No tools are available in this session: answer with text only.');
  }
  return lines.join('\n');
}
