import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { removeDirectory, temporaryDirectory } from './support/goosed.js';
import { newestChange } from './support/build-freshness.js';

// The client examples of README.md and docs/client.md, copied verbatim into a project of their own
// that has goosed as a dependency (node_modules/goosed linked to this checkout, as `npm install
// /path/to/goosed` does), type-checked there, and run against a real goosed: they must print the reply.

const REPO = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
let harness: ReplyHarness;
let project: string;

/** The ```ts blocks of a Markdown file that use goosed/client, as written. */
function clientExamples(file: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]).filter((code) => code.includes("from 'goosed/client'"));
}

/** dist/client as `npm run build` makes it, built again when src/client changed since. */
async function ensureClientBuilt(): Promise<void> {
  const built = join(REPO, 'dist', 'client', 'index.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestChange(join(REPO, 'src', 'client'))) return;
  await run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'src', 'client', 'tsconfig.json')]);
}

beforeAll(async () => {
  [harness] = await Promise.all([startReplyHarness(), ensureClientBuilt()]);
  project = temporaryDirectory('goosed-client-example-');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-goosed', private: true, type: 'module', dependencies: { goosed: `file:${REPO}` } }));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(REPO, join(project, 'node_modules', 'goosed'), 'dir');
}, 120_000);
afterAll(async () => {
  await harness?.close();
  if (project) removeDirectory(project);
});

const examples = { readme: () => clientExamples('README.md')[0], client: () => clientExamples('docs/client.md')[0] };

/** Writes each example into the other project as `<name>.ts`. */
function writeExamples(): void {
  for (const [name, example] of Object.entries(examples)) {
    const code = example();
    expect(code, name).toBeDefined();
    writeFileSync(join(project, `${name}.ts`), code);
  }
}

/** Runs one with tsx, as `npx tsx <name>.ts` would there, against the test's goosed. */
async function runExample(name: keyof typeof examples): Promise<string> {
  const env = { ...process.env, GOOSED_URL: harness.goosed.url, GOOSED_SECRET_KEY: '' };
  const { stdout } = await run(process.execPath, ['--import', import.meta.resolve('tsx'), `${name}.ts`], { cwd: project, env, timeout: 60_000 });
  return stdout;
}

describe('the client examples, as pasted', () => {
  it('type-check in the other project (strict, nodenext), against the published declarations', async () => {
    writeExamples();
    const compilerOptions = {
      module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true,
      types: ['node'], typeRoots: [join(REPO, 'node_modules', '@types')],
    };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: Object.keys(examples).map((name) => `${name}.ts`) }));
    const checked = await run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project]).catch((error) => error);
    expect(checked.stdout).toBe('');
  });

  it("README.md's prints the reply", async () => {
    writeExamples();
    harness.llm.enqueue({ text: 'Hello from goosed!' });
    expect(await runExample('readme')).toBe('Hello from goosed!\n');
  });

  it("docs/client.md's prints the reply as it streams, then what answered it, and ends", async () => {
    writeExamples();
    harness.llm.enqueue({ text: ['Hello ', 'from ', 'goosed!'], usage: { input: 10, output: 3 } });
    expect(await runExample('client')).toBe('Hello from goosed!\n(complete, 13 tokens, openai scripted-model)\n');
  });
});
