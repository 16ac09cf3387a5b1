// goosed/client: a typed client of the goosed API, generated from its OpenAPI document.
export { createGoosedClient, dataOf, type GoosedClient, type GoosedClientOptions } from './create-client.js';
export { followSession, type FollowSessionOptions, type FollowState, type KeySource, type Resync, type SessionFollower } from './follow-session.js';
export { readSessionEvents } from './read-session-events.js';
export { GoosedError } from './goosed-error.js';
export { SseParser, type SseFrame, type SseHandlers } from './sse-parser.js';
export type { paths, components, operations } from './schema.js';
export type {
  Approval,
  ApprovalDecision,
  CurrentProvider,
  AddExtensionRequest,
  CompactResult,
  ContextSummary,
  ContextUsage,
  ErrorBody,
  ExecutionMode,
  Extension,
  ExtensionType,
  Message,
  MessagePart,
  Provider,
  ProviderName,
  Session,
  SessionEvent,
  SessionEventType,
  SessionStatus,
  SessionSummary,
  Settings,
  ToolCallPart,
  ToolCallStatus,
  Usage,
} from './types.js';
