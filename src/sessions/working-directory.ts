import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InvalidInput } from '../api/domain-errors.js';

/**
 * The directory a session works in, as a real absolute path (symlinks resolved): `requested`, or
 * the default_working_directory setting when none is given. A relative path is relative to that
 * default; `~` and `~/…` are the user's home. InvalidInput says what is wrong and which field.
 */
export function resolveWorkingDirectory(requested: string | undefined, defaultDirectory: string): string {
  const base = () => existingDirectory(defaultDirectory, 'default_working_directory');
  if (requested === undefined) return base();
  const path = expandHome(requested, 'working_directory');
  return existingDirectory(isAbsolute(path) ? path : resolve(base(), path), 'working_directory');
}

/** `path` (after `~` expansion) if it is an existing directory, as its real path; else InvalidInput naming `field`. */
export function existingDirectory(path: string, field: string): string {
  const expanded = expandHome(path, field);
  if (!isAbsolute(expanded)) throw new InvalidInput('invalid_working_directory', `${field} ${JSON.stringify(path)} must be an absolute path or start with ~/.`);
  let real: string;
  try {
    real = realpathSync(expanded);
  } catch {
    throw new InvalidInput('invalid_working_directory', `${field} ${JSON.stringify(expanded)} does not exist.`);
  }
  if (!statSync(real).isDirectory()) throw new InvalidInput('invalid_working_directory', `${field} ${JSON.stringify(expanded)} is not a directory.`);
  return real;
}

/** `~` and `~/…` as the user's home, as a shell would. `~user` is refused: goosed does not look up other users' homes. */
function expandHome(path: string, field: string): string {
  if (path.includes('\0')) throw new InvalidInput('invalid_working_directory', `${field} must not contain NUL characters.`);
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  if (path.startsWith('~')) {
    throw new InvalidInput('invalid_working_directory', `${field} ${JSON.stringify(path)}: ~user is not supported; write the full path, or ~/ for your own home.`);
  }
  return path;
}
