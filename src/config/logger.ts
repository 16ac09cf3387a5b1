import pino, { type Logger } from 'pino';
import type { LogLevel } from './config-file.js';

/**
 * JSON lines on stdout, written asynchronously (a request never waits on the terminal) and
 * flushed at shutdown. Anything that could hold a secret is redacted by path.
 */
export function createLogger(level: LogLevel, destination: number | string = 1): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['api_key', '*.api_key', 'secret_key', '*.secret_key', 'headers.authorization', 'headers["x-secret-key"]', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: destination, sync: false, minLength: 0 }),
  );
}
