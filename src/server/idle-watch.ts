import type { Server } from 'node:http';

export interface IdleWatchOptions {
  server: Server;
  /** Other work that keeps the server busy: open WebSockets, replies that are running. */
  busy: () => boolean;
  idleMs: number;
  onIdle: () => void;
}

/**
 * Calls `onIdle` once the server has had no request in flight (an open SSE stream is one until it
 * closes), and nothing `busy` reports, for `idleMs`. A server that `goosed acp` starts for editors
 * stops this way when the last editor has gone. Checked on a coarse timer rather than re-armed per
 * request: requests stay as cheap as without it, and the exit comes at most a quarter late.
 */
export function watchIdle(options: IdleWatchOptions): () => void {
  let inFlight = 0;
  let lastActive = Date.now();
  const onRequest = (_request: unknown, response: NodeJS.EventEmitter) => {
    inFlight++;
    response.once('close', () => {
      inFlight--;
      lastActive = Date.now();
    });
  };
  options.server.on('request', onRequest);
  const timer = setInterval(
    () => {
      if (inFlight > 0 || options.busy()) {
        lastActive = Date.now();
        return;
      }
      if (Date.now() - lastActive < options.idleMs) return;
      stop();
      options.onIdle();
    },
    Math.max(250, Math.min(options.idleMs / 4, 15_000)),
  );
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    options.server.off('request', onRequest);
  };
  return stop;
}
