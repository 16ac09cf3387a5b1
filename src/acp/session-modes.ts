import { RequestError, type SessionMode, type SessionModeState } from '@agentclientprotocol/sdk';
import type { ExecutionMode } from '../client/types.js';

// goosed's execution modes, offered as ACP session modes (the editor's mode picker): choosing one
// sets the session's execution_mode, as the web page's mode menu does.

const MODES: readonly (SessionMode & { id: ExecutionMode })[] = [
  { id: 'smart_approval', name: 'Smart approval', description: 'Read-only tools run; a call that can change things asks first.' },
  { id: 'approve', name: 'Approve', description: 'Every tool call asks first.' },
  { id: 'auto', name: 'Auto', description: 'Every tool call runs without asking.' },
  { id: 'chat', name: 'Chat', description: 'No tools: the model only answers.' },
];

export function modeState(current: ExecutionMode): SessionModeState {
  return { currentModeId: current, availableModes: MODES.map((mode) => ({ ...mode })) };
}

export function executionModeOf(modeId: string): ExecutionMode {
  const mode = MODES.find((candidate) => candidate.id === modeId);
  if (!mode) throw RequestError.invalidParams({ modeId }, `unknown mode ${JSON.stringify(modeId)}; the modes are ${MODES.map((m) => m.id).join(', ')}`);
  return mode.id;
}
