// Prints where a V8 .cpuprofile (from `node --cpu-prof`, or `npm run bench -- --cpu-prof`, which
// writes them to bench/results/profiles/) spends its self time: the top functions, and the same
// time grouped by package or source file (through dist/cli.js.map for the bundle).
//
//   tsx bench/profile-top.ts <file.cpuprofile> [how many, default 25]
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { relative } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface Profile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, countArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/profile-top.ts <file.cpuprofile> [count]\n');
  process.exit(2);
}
const count = Number(countArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));

const sourceMaps = new Map<string, SourceMap | null>();
function sourceMapFor(url: string): SourceMap | null {
  if (!sourceMaps.has(url)) {
    const mapFile = `${url.replace('file://', '')}.map`;
    sourceMaps.set(url, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null);
  }
  return sourceMaps.get(url)!;
}

/** The original file of a frame: a package name for dependencies, a path for our own code. */
function origin(frame: CallFrame): { file: string; line: number } {
  if (!frame.url) return { file: frame.functionName.startsWith('(') ? frame.functionName : '(native)', line: 0 };
  let path = frame.url.replace('file://', '');
  let line = frame.lineNumber + 1;
  const map = sourceMapFor(frame.url);
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
  if (entry?.originalSource) {
    path = entry.originalSource.replace('file://', '');
    line = (entry.originalLine ?? 0) + 1;
  }
  if (path.startsWith('node:')) return { file: 'node internals', line };
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + 'node_modules/'.length).split('/');
    return { file: rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0], line };
  }
  return { file: relative(process.cwd(), path), line };
}

const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const byFunction = new Map<string, number>();
const byOrigin = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const frame = frames.get(id)!;
  const where = origin(frame);
  const key = `${frame.functionName || '(anonymous)'}  ${where.file}${where.line ? `:${where.line}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  byOrigin.set(where.file, (byOrigin.get(where.file) ?? 0) + micros);
}

const total = profile.endTime - profile.startTime;
const print = (title: string, totals: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    process.stdout.write(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}\n`);
  }
};
process.stdout.write(`${file}: ${(total / 1e6).toFixed(2)} s profiled\n`);
print('self time by function', byFunction);
print('self time by package / source file', byOrigin);
