import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  url: string;
  /** The first bytes each client connection sent (its request line and headers). */
  readonly requestHeads: string[];
  /** Cuts every open connection, as a dropped network or a restarting proxy would. */
  dropAll(): void;
  /** New connections are accepted but nothing passes until release(): a server that is slow to answer. */
  hold(): void;
  /** Connects what hold() kept waiting, and lets new connections through again. */
  release(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of a server, so a test can cut connections mid-stream. */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const requestHeads: string[] = [];
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  let held: (() => void)[] | null = null;
  const server = createServer((client) => {
    track(client);
    const forward = () => {
      if (client.destroyed) return;
      const upstream = connect(Number(target.port), target.hostname);
      track(upstream);
      client.once('data', (chunk: Buffer) => requestHeads.push(chunk.toString('latin1').split('\r\n\r\n')[0]));
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    };
    if (held) held.push(forward);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requestHeads,
    dropAll,
    hold: () => void (held ??= []),
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const forward of waiting) forward();
    },
    close: () => {
      dropAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
