import type { Duplex } from 'node:stream';

/** How long a connection being closed is still read (and what arrives dropped) before it is destroyed. */
export const LINGER_MS = 1000;

/**
 * Closes a connection the client may still be sending on (the rest of a body the server answered
 * without reading): ends our side, reads and drops what still arrives, and destroys the socket when
 * the client closes too or after `lingerMs`. Destroyed at once, the unread bytes make the kernel
 * reset the connection, and the client gets EPIPE or loses the answer (RFC 9112 section 9.6).
 */
export function closeLingering(socket: Duplex, lastBytes?: string, lingerMs = LINGER_MS): void {
  if (socket.writable) socket.end(lastBytes);
  // Nothing that still arrives is a request to run (the client was told the connection closes):
  // the HTTP parser is cut off too.
  socket.removeAllListeners('data');
  socket.on('data', () => {});
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once('end', () => socket.destroy());
  socket.once('close', () => clearTimeout(timer));
}
