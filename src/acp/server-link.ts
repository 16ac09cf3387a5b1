import type { Logger } from 'pino';
import { createGoosedClient, type GoosedClient } from '../client/create-client.js';
import type { BackgroundServerOptions } from './background-server.js';
import { findOrStartServer, type ServerAddress } from './find-server.js';

/** Errors that mean the request never reached a server: it stopped (idle, crash) or is stopping. */
const GONE = new Set(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * The typed client of whichever goosed serves the data directory. An editor stays open far longer
 * than a background server stays idle, so a request the server is no longer there for finds (or
 * starts) the directory's goosed again and is sent once more.
 */
export class ServerLink {
  readonly api: GoosedClient;
  private address: Promise<ServerAddress>;

  constructor(
    private readonly options: BackgroundServerOptions,
    private readonly logger: Logger,
  ) {
    this.address = this.find();
    // A failure here is reported by the requests that need the server; the next one tries again.
    this.address.catch(() => {});
    // The origin is a placeholder: every request is sent to the current server's address.
    this.api = createGoosedClient({ baseUrl: 'http://goosed', fetch: (input, init) => this.send(new Request(input, init)) });
  }

  private find(): Promise<ServerAddress> {
    return findOrStartServer(this.options).then((address) => {
      this.logger.info({ url: address.url, pid: address.pid, version: address.version }, 'using goosed');
      return address;
    });
  }

  /** Looks again, unless another request already did since `stale` was current. */
  private renew(stale: Promise<ServerAddress>): Promise<ServerAddress> {
    if (this.address === stale) {
      this.address = this.find();
      this.address.catch(() => {});
    }
    return this.address;
  }

  private current(): Promise<ServerAddress> {
    const address = this.address;
    return address.catch(() => this.renew(address));
  }

  private async send(request: Request): Promise<Response> {
    // Read once: a request sent a second time needs its body again.
    const body = request.body ? await request.arrayBuffer() : undefined;
    let used = this.address;
    const attempt = async () => {
      const address = await this.current();
      used = this.address;
      const url = new URL(request.url);
      const headers = new Headers(request.headers);
      if (address.key) headers.set('authorization', `Bearer ${address.key}`);
      return fetch(address.url + url.pathname + url.search, { method: request.method, headers, body, signal: request.signal });
    };
    try {
      return await attempt();
    } catch (error) {
      if (!isGone(error) || request.signal.aborted) throw error;
      this.logger.info({ err: (error as Error).message }, 'goosed is gone; finding or starting it again');
      await this.renew(used);
      return attempt();
    }
  }
}

function isGone(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return GONE.has(cause?.code ?? '');
}
