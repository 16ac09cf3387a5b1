import type { components } from './schema.js';

// Short names for the wire types of the generated schema, for code that uses the client.
type Schemas = components['schemas'];

export type Session = Schemas['Session'];
export type SessionSummary = Schemas['SessionSummary'];
export type SessionStatus = Schemas['SessionStatus'];
export type Message = Schemas['Message'];
export type MessagePart = Schemas['MessagePart'];
export type ToolCallPart = Schemas['ToolCallPart'];
export type ToolCallStatus = Schemas['ToolCallStatus'];
export type Usage = Schemas['Usage'];
export type SessionEvent = Schemas['SessionEvent'];
export type SessionEventType = SessionEvent['type'];
export type Approval = Schemas['Approval'];
export type ApprovalDecision = Schemas['ApprovalDecision'];
export type Provider = Schemas['Provider'];
export type ProviderName = Schemas['ProviderName'];
export type CurrentProvider = Schemas['CurrentProvider'];
export type Settings = Schemas['Settings'];
export type ExecutionMode = Schemas['ExecutionMode'];
export type ErrorBody = Schemas['Error'];
export type Extension = Schemas['Extension'];
export type ExtensionType = Schemas['ExtensionType'];
export type AddExtensionRequest = Schemas['AddExtensionRequest'];
export type ContextUsage = Schemas['ContextUsage'];
export type ContextSummary = Schemas['ContextSummary'];
export type CompactResult = Schemas['CompactResult'];
