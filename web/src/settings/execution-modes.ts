import type { ExecutionMode } from '../../../src/client/index.js';

export const executionModes: { value: ExecutionMode; label: string; description: string }[] = [
  { value: 'smart_approval', label: 'Smart approval', description: 'Read-only tools run; anything that can change things asks you first.' },
  { value: 'approve', label: 'Approve every tool', description: 'Every tool call waits for you to allow or deny it.' },
  { value: 'auto', label: 'Auto', description: 'Every tool runs without asking.' },
  { value: 'chat', label: 'Chat only', description: 'No tools: the model only talks.' },
];
