import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

// Runs a CommonJS bundle through V8's code cache. Compiling the ~1 MB server bundle, and then each
// function it calls while starting, was the largest part of goosed's start-up; Node 20 caches
// neither (module.enableCompileCache arrived in Node 22.1), so this does what it would: compile
// with the bytecode a previous start left beside the bundle, and leave it there once started.
//
// The cache is only ever used with the exact bundle it was made from: it starts with a digest of
// the bundle's bytes and of the Node version, checked before V8 sees it (V8 itself checks only the
// source's length, its own version and its flags). Anything else — no file, another digest, data V8
// rejects, a directory that cannot be written — means compiling as without a cache.

const KEY_BYTES = 32;

export interface CodeCachedRun {
  /** True when V8 accepted a cache made by an earlier start. */
  usedCache: boolean;
  /**
   * Writes the cache for the next start, from what has been compiled so far (so call it once the
   * program has done its start-up work). Does nothing when the cache in use is current or the
   * directory is not writable; false when nothing was written.
   */
  saveCache(): boolean;
}

/** Runs `file` as Node runs a CommonJS module (its own `require`, `module`, `__filename`). */
export function runCodeCached(file: string, cacheFile = `${file}.cache`): CodeCachedRun {
  const bytes = readFileSync(file);
  const key = createHash('sha256').update(process.version).update(bytes).digest();
  const cachedData = readCache(cacheFile, key);
  // The build makes the bundle ASCII, which decodes faster as latin1 (the same characters).
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  // The wrapper shares the first line with the bundle, so line numbers in stack traces still hold.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const usedCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));

  let saved = usedCache;
  return {
    usedCache,
    saveCache: () => {
      if (saved) return false;
      saved = true;
      return writeCache(cacheFile, key, () => script.createCachedData());
    },
  };
}

function readCache(cacheFile: string, key: Buffer): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  return data.length > KEY_BYTES && key.equals(data.subarray(0, KEY_BYTES)) ? data.subarray(KEY_BYTES) : undefined;
}

function writeCache(cacheFile: string, key: Buffer, create: () => Buffer): boolean {
  // Checked first: making the data costs a few milliseconds, for nothing if it cannot be kept.
  try {
    accessSync(dirname(cacheFile), constants.W_OK);
  } catch {
    return false;
  }
  // Written aside and renamed into place: a reader never sees half a file, and starts that save
  // at once each write their own.
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([key, create()]), { mode: 0o644 });
    renameSync(temporary, cacheFile);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was left behind that could be removed.
    }
    return false;
  }
}
