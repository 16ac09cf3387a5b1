import { LogLevel, readConfigFile, ConfigError } from './config-file.js';
import { defaultConfigFile, defaultDataDir } from './paths.js';
import { Settings } from '../api/settings.js';
import type { ServerOptions } from './server-options.js';
import { maskUrlSecrets } from '../api/secret-mask.js';

export interface CommandLineFlags {
  host?: string;
  port?: string;
  logLevel?: string;
  dataDir?: string;
  config?: string;
  secretKey?: string;
  databaseUrl?: string;
  idleExit?: string;
}

export interface OptionDefaults {
  /** A server people start runs until stopped (0); one that `goosed acp` starts for editors does not. */
  idleExitSeconds: number;
}

/** Flags win over the environment, the environment over the config file, that over defaults. */
export function resolveOptions(flags: CommandLineFlags, env: NodeJS.ProcessEnv = process.env, defaults: OptionDefaults = { idleExitSeconds: 0 }): ServerOptions {
  const configFile = flags.config ?? env.GOOSED_CONFIG ?? defaultConfigFile(env);
  const file = readConfigFile(configFile);
  const pick = (flag: string | undefined, envName: string) => flag ?? (env[envName] || undefined);

  const portText = pick(flags.port, 'GOOSED_PORT');
  const port = portText === undefined ? (file.port ?? 8080) : parsePort(portText);
  const logLevelText = pick(flags.logLevel, 'GOOSED_LOG_LEVEL') ?? file.log_level ?? 'info';
  const logLevel = LogLevel.safeParse(logLevelText);
  if (!logLevel.success) {
    throw new ConfigError(`invalid log level ${JSON.stringify(logLevelText)}: use one of ${LogLevel.options.join(', ')}`);
  }
  const secretKey = pick(flags.secretKey, 'GOOSED_SECRET_KEY') ?? file.secret_key ?? null;
  if (secretKey !== null && secretKey.length < 16) throw new ConfigError('the secret key must be at least 16 characters long');

  const databaseUrlText = pick(flags.databaseUrl, 'GOOSED_DATABASE_URL') ?? file.database_url ?? null;
  const databaseUrl = databaseUrlText === null ? null : checkDatabaseUrl(databaseUrlText);
  const leaseText = env.GOOSED_REPLY_LEASE_MS;
  if (leaseText !== undefined && !/^[1-9]\d*$/.test(leaseText)) throw new ConfigError(`invalid GOOSED_REPLY_LEASE_MS ${JSON.stringify(leaseText)}: use a whole number of milliseconds`);
  const idleExitText = pick(flags.idleExit, 'GOOSED_IDLE_EXIT');
  const idleExitSeconds = idleExitText === undefined ? (file.idle_exit ?? defaults.idleExitSeconds) : parseSeconds(idleExitText, 'idle exit');

  const settings: Partial<Settings> = {};
  for (const key of Object.keys(Settings.shape) as (keyof Settings)[]) {
    if (file[key] !== undefined) (settings as Record<string, unknown>)[key] = file[key];
  }
  return {
    host: pick(flags.host, 'GOOSED_HOST') ?? file.host ?? '127.0.0.1',
    port,
    logLevel: logLevel.data,
    dataDir: pick(flags.dataDir, 'GOOSED_DATA_DIR') ?? file.data_dir ?? defaultDataDir(env),
    configFile,
    secretKey,
    databaseUrl,
    idleExitMs: idleExitSeconds > 0 ? idleExitSeconds * 1000 : null,
    ...(leaseText === undefined ? {} : { replyLeaseMs: Number(leaseText) }),
    settings,
  };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new ConfigError(`invalid port ${JSON.stringify(text)}: use a number from 0 to 65535 (0 picks a free port)`);
  return port;
}

/** A PostgreSQL connection URL; anything else is refused without showing its password. */
function checkDatabaseUrl(text: string): string {
  const usage = 'use postgres://user:password@host:5432/database';
  let protocol: string;
  try {
    protocol = new URL(text).protocol;
  } catch {
    // Not quoted: what is not a URL cannot be masked, and may be a password pasted in the wrong place.
    throw new ConfigError(`invalid database URL (not a URL): ${usage}`);
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') throw new ConfigError(`invalid database URL ${JSON.stringify(maskUrlSecrets(text))}: ${usage}`);
  return text;
}

function parseSeconds(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new ConfigError(`invalid ${what} ${JSON.stringify(text)}: use a whole number of seconds (0: never)`);
  return Number(text);
}
