import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { parse, stringify } from 'yaml';
import { Settings } from '../api/settings.js';

export const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);
export type LogLevel = z.infer<typeof LogLevel>;

/** What `config.yaml` may hold: the start-up options and the run-time settings. */
export const ConfigFile = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    log_level: LogLevel,
    data_dir: z.string().min(1),
    secret_key: z.string().min(16),
    ...Settings.shape,
  })
  .partial()
  .strict();
export type ConfigFile = z.infer<typeof ConfigFile>;

export class ConfigError extends Error {}

/** Reads and validates the file; a missing file is an empty config, anything else wrong is a ConfigError. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = ConfigFile.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(top level)');
    throw new ConfigError(`config file ${path} is invalid at ${key}: ${issue.message}`);
  }
  return result.data;
}

/** Writes through a temporary file and a rename, so a crash never leaves half a config. */
export function writeConfigFile(path: string, config: ConfigFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  // Owner-only: the file may hold the secret key.
  writeFileSync(temporary, stringify(config), { mode: 0o600 });
  renameSync(temporary, path);
}
