// Where the file tools may read and write.
//
// Choice: every path must resolve INSIDE the session's working directory. `view` is read-only, so
// in `smart_approval` mode it runs without asking; without this limit a model (or a prompt
// injection in a file it read) could read ~/.ssh or write ~/.bashrc with nobody noticing. Paths are
// resolved to real paths (symlinks followed) BEFORE the check; open-inside.ts then opens them so
// that a directory swapped for a symlink between the check and the use cannot lead outside.
import { readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ToolInputError } from './builtin-tool.js';

/** Linux gives up after 40 links in a row; so do we (it also stops symlink loops). */
const MAX_SYMLINK_HOPS = 40;

/** A checked path: the working directory's real path, and the real path of a file in it. */
export interface PathInside {
  root: string;
  path: string;
}

/**
 * The real path of `requested` (absolute, or relative to the working directory), which must lie in
 * the working directory. Works for files that do not exist yet.
 */
export async function resolvePathInside(workingDirectory: string, requested: string): Promise<PathInside> {
  if (requested.trim() === '') throw new ToolInputError('The path is empty.');
  let root: string;
  try {
    root = await realpath(workingDirectory);
  } catch {
    throw new ToolInputError(`The working directory ${workingDirectory} does not exist.`);
  }
  const resolved = await realPathAllowingMissing(path.resolve(root, requested));
  if (!isInside(root, resolved)) {
    throw new ToolInputError(
      `The path ${requested} resolves to ${resolved}, which is outside the working directory ${root}. ` +
        'These tools only work on files inside the working directory.',
    );
  }
  return { root, path: resolved };
}

/** True when the real path `candidate` is `root` or lies below it. */
export function isInside(root: string, candidate: string): boolean {
  const rootWithSeparator = root.endsWith(path.sep) ? root : root + path.sep;
  return candidate === root || candidate.startsWith(rootWithSeparator);
}

/**
 * Like realpath, but for a path that does not exist: the real path of the nearest existing parent
 * plus the rest. A dangling symlink is followed to where it points, because writing through it
 * would create its target.
 */
async function realPathAllowingMissing(absolute: string, hops = 0): Promise<string> {
  try {
    return await realpath(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  const parent = path.dirname(absolute);
  if (parent === absolute) return absolute;
  const inRealParent = path.join(await realPathAllowingMissing(parent, hops), path.basename(absolute));
  const danglingTarget = await readlink(inRealParent).catch(() => null);
  if (danglingTarget === null) return inRealParent;
  if (hops >= MAX_SYMLINK_HOPS) throw new ToolInputError(`Too many levels of symbolic links in ${absolute}.`);
  return realPathAllowingMissing(path.resolve(path.dirname(inRealParent), danglingTarget), hops + 1);
}
