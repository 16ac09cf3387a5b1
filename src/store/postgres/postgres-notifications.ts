import pg from 'pg';
import type { Notifications } from '../shared-store.js';
import { fromDatabaseText, toDatabaseText } from './database-text.js';
import { clientConfig, type ConnectionOptions, type Queryable } from './database.js';

interface Subscription {
  onNotify(payload: string): void;
  onReconnect?(): void;
}

interface Channel {
  subscriptions: Set<Subscription>;
  /** LISTEN on the current connection: subscribers wait for it before they count on news. */
  listening: Promise<void>;
}

/** Waits between attempts to connect again: from 100 ms, doubling, at most 5 s. */
const RETRY_FIRST_MS = 100;
const RETRY_MOST_MS = 5000;

/**
 * LISTEN/NOTIFY on one connection of its own (a pooled one would be handed to others, and LISTEN
 * belongs to a connection). When that connection is lost it connects again, listens again to every
 * channel, and tells each subscriber that news may have been missed. NOTIFY goes through the pool.
 */
export class PostgresNotifications implements Notifications {
  private readonly channels = new Map<string, Channel>();
  private connection: Promise<pg.Client> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_FIRST_MS;
  private closed = false;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly pool: Queryable,
    private readonly onError: (error: Error) => void,
  ) {}

  async subscribe(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('notifications are closed');
    const subscription: Subscription = { onNotify, onReconnect };
    let listened = this.channels.get(channel);
    if (!listened) {
      listened = { subscriptions: new Set(), listening: this.listen(channel) };
      this.channels.set(channel, listened);
      // A failed LISTEN is retried with the next connection; this subscriber hears of it by its promise.
      listened.listening.catch(() => {});
    }
    listened.subscriptions.add(subscription);
    try {
      await listened.listening;
    } catch (error) {
      listened.subscriptions.delete(subscription);
      // The next subscriber to this channel tries LISTEN afresh rather than inherit this failure.
      if (listened.subscriptions.size === 0 && this.channels.get(channel) === listened) this.channels.delete(channel);
      throw error;
    }
    return () => this.unsubscribe(channel, subscription);
  }

  async notify(channel: string, payload: string): Promise<void> {
    await this.pool.query({ text: 'SELECT pg_notify($1, $2)', values: [toDatabaseText(channel), toDatabaseText(payload)] });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const connection = this.connection;
    this.connection = null;
    this.channels.clear();
    if (connection) await connection.then((client) => client.end()).catch(() => {});
  }

  private async unsubscribe(channel: string, subscription: Subscription): Promise<void> {
    const listened = this.channels.get(channel);
    if (!listened?.subscriptions.delete(subscription) || listened.subscriptions.size > 0) return;
    this.channels.delete(channel);
    const client = await this.connection?.catch(() => null);
    // A lost connection listens to nothing any more; the next one will not listen to this channel.
    await client?.query(`UNLISTEN ${client.escapeIdentifier(toDatabaseText(channel))}`).catch(() => {});
  }

  private async listen(channel: string): Promise<void> {
    const client = await this.connect();
    await client.query(`LISTEN ${client.escapeIdentifier(toDatabaseText(channel))}`);
  }

  private connect(): Promise<pg.Client> {
    if (this.connection) return this.connection;
    const client = new pg.Client(clientConfig({ ...this.options, applicationName: 'goosed listener' }));
    client.on('notification', ({ channel, payload }) => this.deliver(fromDatabaseText(channel), fromDatabaseText(payload ?? '')));
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (error) this.onError(error);
      if (this.connection === connecting) this.connection = null;
      client.end().catch(() => {});
      if (!this.closed && this.channels.size > 0) this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    const connecting = client.connect().then(
      () => client,
      (error: Error) => {
        onLost(error);
        throw error;
      },
    );
    this.connection = connecting;
    return connecting;
  }

  private scheduleReconnect(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.reconnect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MOST_MS);
  }

  /** Listens again to every channel, then tells their subscribers that news may have been missed. */
  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      const client = await this.connect();
      for (const [channel, listened] of this.channels) {
        listened.listening = client.query(`LISTEN ${client.escapeIdentifier(toDatabaseText(channel))}`).then(() => {});
        await listened.listening;
      }
    } catch {
      // connect() scheduled the next attempt when the connection failed; a failed LISTEN loses it too.
      return;
    }
    this.retryMs = RETRY_FIRST_MS;
    for (const listened of this.channels.values()) {
      for (const subscription of listened.subscriptions) this.call(() => subscription.onReconnect?.());
    }
  }

  private deliver(channel: string, payload: string): void {
    const listened = this.channels.get(channel);
    if (!listened) return;
    for (const subscription of listened.subscriptions) this.call(() => subscription.onNotify(payload));
  }

  /** A subscriber that throws must not stop the others, nor the connection. */
  private call(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.onError(error as Error);
    }
  }
}
