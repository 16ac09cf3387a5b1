import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InvalidInput } from '../api/domain-errors.js';

/** An existing directory, as a real absolute path (symlinks resolved), or InvalidInput saying why not. */
export function resolveWorkingDirectory(requested: string | undefined): string {
  const path = requested === undefined ? process.cwd() : isAbsolute(requested) ? requested : resolve(process.cwd(), requested);
  if (path.includes('\0')) throw new InvalidInput('invalid_working_directory', 'working_directory must not contain NUL characters.');
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new InvalidInput('invalid_working_directory', `working_directory ${JSON.stringify(path)} does not exist.`);
  }
  if (!statSync(real).isDirectory()) {
    throw new InvalidInput('invalid_working_directory', `working_directory ${JSON.stringify(path)} is not a directory.`);
  }
  return real;
}
