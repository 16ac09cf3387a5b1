import { Readable, Writable } from 'node:stream';
import { mkdirSync } from 'node:fs';
import { ndJsonStream } from '@agentclientprotocol/sdk';
import type { ServerOptions } from '../config/server-options.js';
import { createLogger } from '../config/logger.js';
import { createGoosedAgent } from './goosed-agent.js';
import { ServerLink } from './server-link.js';

/**
 * `goosed acp`: the Agent Client Protocol on stdin/stdout, for an editor that launched this
 * process. stdout carries the protocol only; logs go to stderr. The work is done by the goosed
 * that serves the data directory, started in the background when none runs.
 */
export async function runAcp(options: ServerOptions): Promise<void> {
  const logger = createLogger(options.logLevel, 2);
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const link = new ServerLink(
    { dataDir: options.dataDir, configFile: options.configFile, logLevel: options.logLevel, idleExitSeconds: (options.idleExitMs ?? 0) / 1000 },
    logger,
  );
  // The editor went away mid-write: nothing is left to answer.
  process.stdout.on('error', () => process.exit(0));
  const closed = new AbortController();
  const stream = ndJsonStream(Writable.toWeb(process.stdout), Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>);
  const connection = createGoosedAgent({ api: link.api, logger, closed: closed.signal }).connect(stream);
  await connection.closed;
  closed.abort();
  logger.info('the editor closed the connection');
  // Whatever is still in flight (a relayed reply) goes on in goosed; nothing here needs finishing.
  logger.flush(() => process.exit(0));
}
