import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCodeCached } from '../src/launcher/code-cached-script.js';
import { temporaryDirectory } from './support/goosed.js';

// dist/cli.js runs the bundled server through runCodeCached: these check that a cache is only ever
// used with the bundle it was made from, and that a missing or unusable one costs nothing but time.

type Probe = Record<string, unknown>;
const probe = globalThis as unknown as { codeCacheProbe?: Probe };

let copies = 0;

/**
 * A CommonJS file that records what it saw in globalThis.codeCacheProbe. Each run gets a copy under
 * a name of its own, as a new process would: V8 keeps what it compiled in this process by source
 * and file name, and would serve a second run of the same file from there instead of the cache.
 */
function writeScript(dir: string, marker: string): { file: string; cacheFile: string; again(): string } {
  writeFileSync(join(dir, 'helper.cjs'), 'module.exports = { helper: "from a sibling" };\n');
  const text = script(marker);
  const copy = () => {
    const file = join(dir, `bundle-${++copies}.cjs`);
    writeFileSync(file, text);
    return file;
  };
  return { file: copy(), cacheFile: join(dir, 'bundle.cjs.cache'), again: copy };
}

function script(marker: string): string {
  return `"use strict";
function work(n) { let total = 0; for (let i = 0; i < n; i++) total += i; return total; }
globalThis.codeCacheProbe = {
  marker: ${JSON.stringify(marker)},
  total: work(1000),
  helper: require('./helper.cjs').helper,
  basename: require('node:path').basename(__filename),
  sameExports: module.exports === exports,
};
`;
}

describe('running the bundle through the code cache', () => {
  it('runs the file as CommonJS, saves a cache, and the next start uses it', () => {
    const dir = temporaryDirectory();
    const bundle = writeScript(dir, 'first');
    const first = runCodeCached(bundle.file, bundle.cacheFile);
    expect(first.usedCache).toBe(false);
    expect(probe.codeCacheProbe).toEqual({ marker: 'first', total: 499500, helper: 'from a sibling', basename: 'bundle-1.cjs', sameExports: true });
    expect(first.saveCache()).toBe(true);
    expect(existsSync(bundle.cacheFile)).toBe(true);
    // Once saved, it is not written again by the same run.
    expect(first.saveCache()).toBe(false);

    probe.codeCacheProbe = undefined;
    const second = runCodeCached(bundle.again(), bundle.cacheFile);
    expect(second.usedCache).toBe(true);
    expect(probe.codeCacheProbe).toMatchObject({ marker: 'first', total: 499500 });
    // A cache in use is current: nothing to save.
    expect(second.saveCache()).toBe(false);
  });

  it('ignores a cache made for other bytes, even of the same length (V8 would only compare lengths)', () => {
    const dir = temporaryDirectory();
    const old = writeScript(dir, 'old1');
    runCodeCached(old.file, old.cacheFile).saveCache();
    const updated = writeScript(dir, 'new2');

    const run = runCodeCached(updated.file, updated.cacheFile);
    expect(run.usedCache).toBe(false);
    expect(probe.codeCacheProbe).toMatchObject({ marker: 'new2' });
    // The stale cache is replaced by one for the new bytes.
    expect(run.saveCache()).toBe(true);
    expect(runCodeCached(updated.again(), updated.cacheFile).usedCache).toBe(true);
    expect(probe.codeCacheProbe).toMatchObject({ marker: 'new2' });
  });

  it('compiles as without a cache when V8 rejects the data, and replaces it', () => {
    const dir = temporaryDirectory();
    const bundle = writeScript(dir, 'rejected');
    runCodeCached(bundle.file, bundle.cacheFile).saveCache();
    const saved = readFileSync(bundle.cacheFile);
    // The right digest in front of data that is not a V8 code cache.
    writeFileSync(bundle.cacheFile, Buffer.concat([saved.subarray(0, 32), Buffer.alloc(saved.length - 32, 7)]));

    const run = runCodeCached(bundle.again(), bundle.cacheFile);
    expect(run.usedCache).toBe(false);
    expect(probe.codeCacheProbe).toMatchObject({ marker: 'rejected', total: 499500 });
    expect(run.saveCache()).toBe(true);
    expect(readFileSync(bundle.cacheFile).subarray(32).every((byte) => byte === 7)).toBe(false);
  });

  it('runs without a cache where none can be read or written', () => {
    const dir = temporaryDirectory();
    const bundle = writeScript(dir, 'nowhere');
    const cacheFile = join(dir, 'missing-directory', 'bundle.cjs.cache');
    const run = runCodeCached(bundle.file, cacheFile);
    expect(run.usedCache).toBe(false);
    expect(probe.codeCacheProbe).toMatchObject({ marker: 'nowhere' });
    expect(run.saveCache()).toBe(false);
    expect(existsSync(cacheFile)).toBe(false);
  });

  it('ignores a cache file too short to hold a digest', () => {
    const dir = temporaryDirectory();
    const bundle = writeScript(dir, 'short');
    writeFileSync(bundle.cacheFile, 'x');
    expect(runCodeCached(bundle.file, bundle.cacheFile).usedCache).toBe(false);
    expect(probe.codeCacheProbe).toMatchObject({ marker: 'short' });
  });
});
