// Opening what the file tools read and write, so that a path checked by resolvePathInside cannot be
// swapped under them, and so that no file can block or flood goosed.
//
// Linux: a file is never opened by its full path. Its parent directory is opened first and its real
// path read back through the descriptor (/proc/self/fd/N), then the file is opened through
// /proc/self/fd/N/<name>: the kernel resolves that from the directory already open (openat), and
// O_NOFOLLOW refuses a symlink in the last place. A directory swapped for a symlink at any moment
// therefore leads to a refusal, never outside; missing parents of a new file are made the same way.
// Elsewhere (macOS, no /proc) files are opened by the checked real path with O_NOFOLLOW: a parent
// directory swapped in the instant between check and open is not detected there.
//
// Everywhere: O_NONBLOCK (opening a FIFO read-only otherwise waits for a writer, holding a thread
// of libuv's pool of four), O_NOCTTY, then fstat of the descriptor: only regular files (and, for
// `view`, directories) are used; devices, FIFOs and sockets are refused before a byte is read.
import { constants, existsSync, type Stats } from 'node:fs';
import { mkdir, open, realpath, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ToolInputError } from './builtin-tool.js';
import { isInside, type PathInside } from './file-paths.js';

const { O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = constants;
const FILE_FLAGS = O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
const DIRECTORY_FLAGS = O_RDONLY | O_DIRECTORY | O_NONBLOCK;
const NEW_FILE_MODE = 0o666;
/** Another call creating or removing the same file at the same moment: tries before giving up. */
const CREATE_ATTEMPTS = 3;

const descriptorsHavePaths = process.platform === 'linux' && existsSync('/proc/self/fd');

/** read: a file or a directory, read-only. edit: an existing file, read-write. create: edit, or a new file (and its missing parents). */
export type OpenPurpose = 'read' | 'edit' | 'create';

export interface OpenedFile {
  handle: FileHandle;
  /** The checked real path, for messages and the edit history. */
  path: string;
  /** fstat of the descriptor: what was opened, not what the path names now. */
  info: Stats;
  /** True when this open created the file. */
  created: boolean;
}

/** Opens `target`, runs `use`, and closes it (without waiting, when the call was cancelled meanwhile). */
export async function withFileInside<T>(target: PathInside, purpose: OpenPurpose, signal: AbortSignal, use: (file: OpenedFile) => Promise<T>): Promise<T> {
  const file = await openInside(target, purpose);
  try {
    return await use(file);
  } finally {
    // A cancelled read may still be running on the descriptor, and close() would wait for it.
    if (signal.aborted) void file.handle.close().catch(() => {});
    else await file.handle.close();
  }
}

/** A path through which the opened directory or file itself is read (its descriptor on Linux). */
export function readablePath(file: OpenedFile): string {
  return descriptorsHavePaths ? descriptorPath(file.handle) : file.path;
}

/** Removes the file `target` names (undo of a create); a file already gone is fine. */
export async function removeInside(target: PathInside): Promise<void> {
  let entry: Entry;
  try {
    entry = await pinEntry(target, false);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw describeOpenError(error, target.path);
  }
  try {
    await unlink(entry.path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw describeOpenError(error, target.path);
  } finally {
    await entry.release();
  }
}

async function openInside(target: PathInside, purpose: OpenPurpose): Promise<OpenedFile> {
  let opened: { handle: FileHandle; created: boolean };
  try {
    opened = target.path === target.root ? { handle: await openDirectory(target.root, target.root, false), created: false } : await openEntry(target, purpose);
  } catch (error) {
    throw describeOpenError(error, target.path);
  }
  const { handle, created } = opened;
  try {
    const info = await handle.stat();
    const usable = info.isFile() || (purpose === 'read' && info.isDirectory());
    if (!usable) throw new ToolInputError(refusal(target.path, info));
    return { handle, path: target.path, info, created };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function openEntry(target: PathInside, purpose: OpenPurpose): Promise<{ handle: FileHandle; created: boolean }> {
  const entry = await pinEntry(target, purpose === 'create');
  const openFile = (flags: number) => open(entry.path, flags | FILE_FLAGS, NEW_FILE_MODE);
  try {
    const flags = purpose === 'read' ? O_RDONLY : O_RDWR;
    if (purpose !== 'create') return { handle: await openFile(flags), created: false };
    for (let attempt = 1; ; attempt++) {
      try {
        return { handle: await openFile(flags), created: false };
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
      try {
        return { handle: await openFile(O_RDWR | O_CREAT | O_EXCL), created: true };
      } catch (error) {
        // EEXIST: made meanwhile by someone else (or a symlink, which the next open refuses).
        if (errorCode(error) !== 'EEXIST' || attempt === CREATE_ATTEMPTS) throw error;
      }
    }
  } finally {
    await entry.release();
  }
}

interface Entry {
  /** Opens exactly the checked file: through its parent's descriptor on Linux. */
  path: string;
  release(): Promise<void>;
}

async function pinEntry(target: PathInside, createParents: boolean): Promise<Entry> {
  const parent = path.dirname(target.path);
  if (!descriptorsHavePaths) {
    if (createParents) await mkdir(parent, { recursive: true });
    return { path: target.path, release: async () => {} };
  }
  const directory = await openDirectory(target.root, parent, createParents);
  return { path: `${descriptorPath(directory)}/${path.basename(target.path)}`, release: () => directory.close() };
}

/** Opens a directory inside `root` (making it, and missing parents, when asked), verified through its descriptor. */
async function openDirectory(root: string, directory: string, create: boolean): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(directory, DIRECTORY_FLAGS);
  } catch (error) {
    if (create && errorCode(error) === 'ENOENT' && directory !== root) return makeDirectory(root, directory);
    throw error;
  }
  if (!descriptorsHavePaths) return handle;
  try {
    const opened = await realpath(descriptorPath(handle));
    if (!isInside(root, opened)) {
      throw new ToolInputError(`${directory} changed while it was being opened and now leads to ${opened}, outside the working directory ${root}. Nothing was done.`);
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** mkdir through the verified parent's descriptor; a symlink put in its place is not followed. */
async function makeDirectory(root: string, directory: string): Promise<FileHandle> {
  const parent = await openDirectory(root, path.dirname(directory), true);
  try {
    const entry = `${descriptorPath(parent)}/${path.basename(directory)}`;
    await mkdir(entry).catch((error: unknown) => {
      if (errorCode(error) !== 'EEXIST') throw error;
    });
    return await open(entry, DIRECTORY_FLAGS | O_NOFOLLOW);
  } finally {
    await parent.close();
  }
}

function descriptorPath(handle: FileHandle): string {
  return `/proc/self/fd/${handle.fd}`;
}

function refusal(filePath: string, info: Stats): string {
  if (info.isDirectory()) return `${filePath} is a directory, not a file.`;
  const kind = info.isFIFO()
    ? 'a FIFO (named pipe)'
    : info.isCharacterDevice()
      ? 'a character device'
      : info.isBlockDevice()
        ? 'a block device'
        : info.isSocket()
          ? 'a socket'
          : 'a special file';
  return `${filePath} is ${kind}, not a regular file: the file tools only read and write regular files.`;
}

/** The errors of opening, said with the checked path (never the /proc path it was opened through). */
function describeOpenError(error: unknown, filePath: string): Error {
  if (error instanceof ToolInputError) return error;
  switch (errorCode(error)) {
    case 'ENOENT':
      return new ToolInputError(`File not found: ${filePath}. Use the create tool to make a new file.`);
    case 'EISDIR':
      return new ToolInputError(`${filePath} is a directory, not a file.`);
    case 'ENOTDIR':
      return new ToolInputError(`A parent of ${filePath} is not a directory.`);
    case 'ELOOP':
      return new ToolInputError(`${filePath} changed while it was being opened (a symbolic link took its place). Nothing was done.`);
    case 'ENXIO':
      return new ToolInputError(`${filePath} is a socket or a device, not a regular file: the file tools only read and write regular files.`);
    case 'EACCES':
    case 'EPERM':
      return new ToolInputError(`Permission denied: ${filePath}.`);
    default:
      return new Error(`Cannot open ${filePath}: ${errorCode(error) ?? (error instanceof Error ? error.message : String(error))}.`);
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}
