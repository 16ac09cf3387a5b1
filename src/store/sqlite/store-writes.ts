import type { Store } from '../store.js';
import type { SqliteStore } from './sqlite-store.js';

// Every Store method that writes, by name: what the write thread (write-thread.ts) is asked to run
// on its own connection, and how its worker (sqlite-write-worker.ts) finds the method to run. The
// arguments and answers cross between threads by structured clone, so they are plain records (an
// event goes as its JSON alone).

export interface StoreWrites {
  createSession: Store['createSession'];
  updateSession: Store['updateSession'];
  deleteSession: Store['deleteSession'];
  addMessage: Store['addMessage'];
  saveMessage: Store['saveMessage'];
  appendMessageText: Store['appendMessageText'];
  addUsage: Store['addUsage'];
  addSummary: Store['addSummary'];
  appendEventJson: SqliteStore['appendEventJson'];
  reserveSeq: Store['reserveSeq'];
  createApproval: Store['createApproval'];
  resolveApproval: Store['resolveApproval'];
  cancelApprovals: Store['cancelApprovals'];
  setValue: Store['setValue'];
  'providers.save': Store['providers']['save'];
  'providers.delete': Store['providers']['delete'];
  'extensions.insert': Store['extensions']['insert'];
  'extensions.update': Store['extensions']['update'];
  'extensions.delete': Store['extensions']['delete'];
  'permissions.set': Store['permissions']['set'];
  'permissions.clear': Store['permissions']['clear'];
}

export type WriteName = keyof StoreWrites;

/** One write as posted to the worker: the method's name and its arguments. */
export type WriteCall = readonly [name: WriteName, args: readonly unknown[]];

/** How each write ran: its answer, or the error the database gave (rebuilt on the other side). */
export type WriteOutcome = { ok: true; value?: unknown } | { ok: false; error: PortableError };

/** An error as it crosses threads: structured clone keeps an Error's message, not its `code`. */
export interface PortableError {
  name: string;
  message: string;
  code?: string;
}

export function portableError(error: unknown): PortableError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

export function errorFromPortable({ name, message, code }: PortableError): Error {
  const error = new Error(message);
  error.name = name;
  if (code !== undefined) Object.assign(error, { code });
  return error;
}

/** The store's write methods by name, bound to `store`: what the worker runs. */
export function storeWrites(store: SqliteStore): StoreWrites {
  return {
    createSession: (session) => store.createSession(session),
    updateSession: (id, changes) => store.updateSession(id, changes),
    deleteSession: (id) => store.deleteSession(id),
    addMessage: (message) => store.addMessage(message),
    saveMessage: (message) => store.saveMessage(message),
    appendMessageText: (sessionId, messageId, text) => store.appendMessageText(sessionId, messageId, text),
    addUsage: (sessionId, usage) => store.addUsage(sessionId, usage),
    addSummary: (summary) => store.addSummary(summary),
    appendEventJson: (sessionId, seq, json) => store.appendEventJson(sessionId, seq, json),
    reserveSeq: (sessionId, block) => store.reserveSeq(sessionId, block),
    createApproval: (approval) => store.createApproval(approval),
    resolveApproval: (sessionId, id, decision, message) => store.resolveApproval(sessionId, id, decision, message),
    cancelApprovals: (sessionId, messageId) => store.cancelApprovals(sessionId, messageId),
    setValue: (key, value) => store.setValue(key, value),
    'providers.save': (record) => store.providers.save(record),
    'providers.delete': (name) => store.providers.delete(name),
    'extensions.insert': (record) => store.extensions.insert(record),
    'extensions.update': (record) => store.extensions.update(record),
    'extensions.delete': (id) => store.extensions.delete(id),
    'permissions.set': (tool, decision) => store.permissions.set(tool, decision),
    'permissions.clear': (tool) => store.permissions.clear(tool),
  };
}
