// goosed killed with SIGKILL at many moments of a streamed reply with tool calls, each moment
// chosen from the event stream (after the Nth event, right after a tool_use, while a shell command
// runs, while an approval waits...), then restarted on the same data directory and checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startScriptedLlm, type RecordedRequest, type ScriptedLlm } from './support/scripted-llm.js';
import { removeDirectory, temporaryDirectory, type GoosedProcess } from './support/goosed.js';
import { buildGoosedBundle, spawnBundledGoosed, type GoosedBundle } from './support/goosed-bundle.js';
import { readSse, type SseFrame } from './support/sse-client.js';
import { expectConsistentAfterCrash, type RoundRecord } from './support/crash-checks.js';

interface Moment {
  name: string;
  mode: 'auto' | 'approve';
  /** Kill as soon as the client has seen the frames that make this true. */
  killWhen: (frames: SseFrame[]) => boolean;
  /** Then wait this long before the kill (to land inside a running shell command). */
  thenWaitMs?: number;
  /** Answer the approval when it is asked (moments after the answer). */
  answerApproval?: boolean;
}

const eventCount = (n: number) => (frames: SseFrame[]) => frames.length >= n;
const after = (type: string, nth = 1) => (frames: SseFrame[]) => frames.filter((f) => f.event === type).length >= nth;
const afterDeltaOfTurn = (turn: 1 | 2, nth: number) => (frames: SseFrame[]) => {
  const toolResult = frames.findIndex((f) => f.event === 'tool_result');
  const deltas = frames.filter((f, index) => f.event === 'content_delta' && (turn === 1 ? toolResult === -1 || index < toolResult : toolResult !== -1 && index > toolResult));
  return deltas.length >= nth;
};

// The reply in `auto` mode streams about 18 events: user_message, message_start, 4 deltas,
// tool_use, tool_result, 8 deltas, message_complete (with approve: approval_request/resolved too).
const MOMENTS: Moment[] = [
  ...[1, 2, 3, 5, 7, 9, 11, 13, 15].map((n): Moment => ({ name: `after event ${n}`, mode: 'auto', killWhen: eventCount(n) })),
  { name: 'before the first token (right after message_start)', mode: 'auto', killWhen: after('message_start') },
  { name: 'mid-text, first turn', mode: 'auto', killWhen: afterDeltaOfTurn(1, 2) },
  { name: 'right after tool_use', mode: 'auto', killWhen: after('tool_use') },
  { name: 'while the shell command runs', mode: 'auto', killWhen: after('tool_use'), thenWaitMs: 150 },
  { name: 'right after tool_result', mode: 'auto', killWhen: after('tool_result') },
  { name: 'mid-text, second turn', mode: 'auto', killWhen: afterDeltaOfTurn(2, 4) },
  { name: 'right after message_complete', mode: 'auto', killWhen: after('message_complete') },
  { name: 'while waiting for an approval', mode: 'approve', killWhen: after('approval_request') },
  { name: 'while waiting for an approval, a moment later', mode: 'approve', killWhen: after('approval_request'), thenWaitMs: 100 },
  { name: 'right after the approval was answered', mode: 'approve', killWhen: after('approval_resolved'), answerApproval: true },
  { name: 'while the approved command runs', mode: 'approve', killWhen: after('approval_resolved'), thenWaitMs: 150, answerApproval: true },
  { name: 'approve mode, second turn text', mode: 'approve', killWhen: afterDeltaOfTurn(2, 2), answerApproval: true },
];

let llm: ScriptedLlm;
let bundle: GoosedBundle;
beforeAll(async () => {
  [llm, bundle] = await Promise.all([startScriptedLlm(), buildGoosedBundle()]);
});
afterAll(async () => {
  await llm.close();
  bundle?.remove();
});

/** Turns answer only the round they were scripted for: a kill can leave a round's later turns unused. */
const forRound = (tag: string) => (request: RecordedRequest) => {
  const lastUser = (request.body.messages as any[]).findLast((m) => m.role === 'user');
  return JSON.stringify(lastUser?.content ?? '').includes(tag);
};

const json = (method: string, body?: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

/** One data directory, one session, many rounds: each round is killed at its moment and restarted. */
async function runGroup(group: string, moments: Moment[]): Promise<void> {
  const dir = temporaryDirectory('goosed-crash-');
  const workDir = temporaryDirectory('goosed-crash-work-');
  const args = ['--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml')];
  let goosed: GoosedProcess = await spawnBundledGoosed(bundle, args);
  const history: RoundRecord[] = [];
  try {
    await fetch(`${goosed.url}/api/providers`, json('POST', { name: 'openai', api_key: 'sk-crash-moments-key', model: 'm', base_url: `${llm.url}/v1` }));
    await fetch(`${goosed.url}/api/extensions`, json('POST', { name: 'developer', config: { allow_shell: true } }));
    const session = await (await fetch(`${goosed.url}/api/sessions`, json('POST', { name: 'crash', working_directory: workDir }))).json();

    for (const [index, moment] of moments.entries()) {
      await fetch(`${goosed.url}/api/sessions/${session.id}`, json('PATCH', { execution_mode: moment.mode }));
      // Unique across groups too: turns a kill left unused stay queued in the shared scripted LLM.
      const tag = `[${group} round ${index}]`;
      llm.enqueue(
        { match: forRound(tag), text: ['Let ', 'me ', 'check ', 'that. '], toolCalls: [{ name: 'developer__shell', arguments: { command: `sleep 0.3; echo out-${index}` } }], chunkDelayMs: 15 },
        { match: forRound(tag), text: ['The ', 'command ', 'printed ', 'its ', 'output ', 'and ', 'exited ', 'cleanly.'], chunkDelayMs: 15 },
      );
      const response = await fetch(`${goosed.url}/api/sessions/${session.id}/messages/stream`, json('POST', { content: `${tag} run it` }));
      expect(response.status).toBe(200);
      const seen = await readSse(response, (frame, frames) => {
        // Moments past the approval: a person answers it as soon as it is asked.
        if (frame.event === 'approval_request' && moment.answerApproval) {
          void fetch(`${goosed.url}/api/sessions/${session.id}/approvals/${frame.data.id}`, json('POST', { decision: 'allow_once' }));
        }
        return moment.killWhen(frames);
      });
      expect(moment.killWhen(seen), `${moment.name}: the moment was reached in ${JSON.stringify(seen.map((f) => [f.event, f.data.code ?? f.data.error ?? '']))}`).toBe(true);
      if (moment.thenWaitMs) await sleep(moment.thenWaitMs);
      goosed.child.kill('SIGKILL');
      await goosed.exited;
      goosed = await spawnBundledGoosed(bundle, args);
      const round: RoundRecord = { tag, moment: moment.name, seen, mode: moment.mode };
      await expectConsistentAfterCrash({ url: goosed.url, databaseFile: join(dir, 'data', 'goosed.db'), sessionId: session.id, round, history, llm, forRound });
      history.push(round);
    }
  } finally {
    goosed.child.kill('SIGTERM');
    await goosed.exited;
    removeDirectory(dir);
    removeDirectory(workDir);
  }
}

// Each group has its own data directory and goosed; a restart can take seconds on a loaded machine.
const GROUPS: [string, Moment[]][] = [
  ['event spread', MOMENTS.filter((m) => m.name.startsWith('after event'))],
  ['named moments', MOMENTS.filter((m) => m.mode === 'auto' && !m.name.startsWith('after event'))],
  ['approvals', MOMENTS.filter((m) => m.mode === 'approve')],
];

describe(`SIGKILL at ${MOMENTS.length} moments of a streamed reply with tool calls`, () => {
  for (const [group, moments] of GROUPS) {
    it(`${group}: ${moments.length} crashes, a consistent story after each`, async () => {
      await runGroup(group.replace(' ', '-'), moments);
    }, 300_000);
  }
});
