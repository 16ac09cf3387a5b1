import { lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { isMap, parse, parseDocument, type Document } from 'yaml';
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
    database_url: z.string().min(1),
    /** Seconds without work after which the server stops by itself; 0 never (see resolve-options.ts). */
    idle_exit: z.number().int().min(0),
    ...Settings.shape,
  })
  .partial()
  .strict();
export type ConfigFile = z.infer<typeof ConfigFile>;

export class ConfigError extends Error {}

/** Reads and validates the file; a missing file is an empty config, anything else wrong is a ConfigError. */
export function readConfigFile(path: string): ConfigFile {
  const text = readConfigText(path);
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return validate(path, data);
}

/**
 * Sets the patch's keys in the file and leaves the rest as the user wrote it (comments, order,
 * layout). A symlinked file is written through the link, at its real path: replacing the link with
 * a regular file would cut it off from where the user keeps it. Atomic: a temporary file in the
 * same directory, then a rename, so a crash never leaves half a config.
 */
export function updateConfigFile(path: string, patch: ConfigFile): void {
  const target = followLinks(path);
  // Typed as an editable Document (not a parsed one), so that a map can be put in where none is.
  const document: Document = parseDocument(readConfigText(target));
  if (document.errors.length > 0) throw new ConfigError(`config file ${path} is not valid YAML: ${document.errors[0].message.split('\n')[0]}`);
  validate(path, document.toJS() ?? {});
  // An empty file (or one holding only comments, or `null`) has no map to set keys in yet.
  if (!isMap(document.contents)) document.contents = document.createNode({});
  for (const [key, value] of Object.entries(patch)) document.set(key, value);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const temporary = `${target}.${process.pid}.tmp`;
  // Owner-only: the file may hold the secret key.
  writeFileSync(temporary, String(document), { mode: 0o600 });
  renameSync(temporary, target);
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
}

function validate(path: string, data: unknown): ConfigFile {
  const result = ConfigFile.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(top level)');
    throw new ConfigError(`config file ${path} is invalid at ${key}: ${issue.message}`);
  }
  return result.data;
}

/** The file a path names once its symlinks are followed, also when the last one points at nothing yet. */
function followLinks(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
    }
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw new ConfigError(`config file ${path} is a loop of symbolic links`);
}
