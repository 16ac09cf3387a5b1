import type { EventEmitter } from 'node:events';

/**
 * Emitted on `process` by the CLI once the server listens and has printed its URL. The launcher
 * (dist/cli.js) saves its code cache after it, so the cache holds what a real start compiles
 * (`goosed --help` exits before, and leaves none). The two are bundled apart: the event is their
 * only link.
 */
const SERVER_STARTED_EVENT = 'goosed:server-started';

const processEvents = process as unknown as EventEmitter;

export function announceServerStarted(): void {
  processEvents.emit(SERVER_STARTED_EVENT);
}

export function onServerStarted(listener: () => void): void {
  processEvents.once(SERVER_STARTED_EVENT, listener);
}
