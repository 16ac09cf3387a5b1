import type { PermissionOption, RequestPermissionResponse } from '@agentclientprotocol/sdk';
import type { ApprovalDecision } from '../client/types.js';

// The four answers to a tool call waiting for a person, as ACP options and as goosed decisions.

const OPTIONS: readonly (PermissionOption & { decision: ApprovalDecision })[] = [
  { optionId: 'allow_once', name: 'Allow once', kind: 'allow_once', decision: 'allow_once' },
  { optionId: 'allow_always', name: 'Always allow', kind: 'allow_always', decision: 'always_allow' },
  { optionId: 'reject_once', name: 'Deny', kind: 'reject_once', decision: 'deny' },
  { optionId: 'reject_always', name: 'Always deny', kind: 'reject_always', decision: 'always_deny' },
];

export const permissionOptions: PermissionOption[] = OPTIONS.map(({ optionId, name, kind }) => ({ optionId, name, kind }));

/** A request the client cancelled (its prompt turn was cancelled), or an option it made up, denies. */
export function decisionOf(response: RequestPermissionResponse): ApprovalDecision {
  if (response.outcome.outcome !== 'selected') return 'deny';
  const { optionId } = response.outcome;
  return OPTIONS.find((option) => option.optionId === optionId)?.decision ?? 'deny';
}
