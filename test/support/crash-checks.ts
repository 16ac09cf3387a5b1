// What must hold after goosed was killed mid-reply and started again on the same data directory.
import { expect } from 'vitest';
import Database from 'better-sqlite3';
import { liveEventTypes, type SessionEventType } from '../../src/api/events.js';
import type { RecordedRequest, ScriptedLlm } from './scripted-llm.js';
import { readSse, type SseFrame } from './sse-client.js';
import { waitFor } from './goosed.js';

export interface RoundRecord {
  tag: string;
  moment: string;
  mode: 'auto' | 'approve';
  /** The frames the client read before the kill. */
  seen: SseFrame[];
  /** Filled in by the checks: the messages as they stood once the round was over. */
  settled?: { id: string; role: string; content: string; status: string }[];
}

export interface CrashCheckContext {
  url: string;
  databaseFile: string;
  sessionId: string;
  round: RoundRecord;
  /** The rounds before this one, already checked. */
  history: readonly RoundRecord[];
  llm: ScriptedLlm;
  forRound: (tag: string) => (request: RecordedRequest) => boolean;
}

const isDurable = (frame: SseFrame) => !liveEventTypes.has(frame.event as SessionEventType);
const get = async (url: string) => (await fetch(url)).json();

export async function expectConsistentAfterCrash(context: CrashCheckContext): Promise<void> {
  const { url, sessionId, round } = context;
  const where = `${round.tag} ${round.moment}`;
  const stored = readStore(context.databaseFile, sessionId);

  // 1. Every durable event any client saw, in this round or before, is stored exactly as sent.
  for (const frame of [...context.history.flatMap((r) => r.seen), ...round.seen].filter(isDurable)) {
    expect(stored.events.get(Number(frame.id)), `${where}: stored ${frame.event} #${frame.id}`).toEqual(frame.data);
  }

  // 2. Every acknowledged message is there; earlier rounds are as they were left.
  const messages: any[] = await get(`${url}/api/sessions/${sessionId}/messages?limit=500`);
  for (const earlier of context.history) {
    for (const message of earlier.settled!) expect(messages.find((m) => m.id === message.id), `${where}: ${earlier.tag} kept`).toMatchObject(message);
  }
  const userMessage = round.seen.find((f) => f.event === 'user_message')!.data.message;
  expect(messages.find((m) => m.id === userMessage.id), `${where}: the user message`).toMatchObject({ role: 'user', content: userMessage.content, status: 'complete' });
  let reply = messages.find((m) => m.reply_to === userMessage.id);
  expect(reply, `${where}: the reply exists`).toBeTruthy();

  // 3. The reply ended as the moment implies; one waiting for a person still waits and can go on.
  const saw = (type: string) => round.seen.some((f) => f.event === type);
  const storedTypes = [...stored.events.values()].filter((e) => e.message_id === reply.id).map((e) => e.type);
  const waitingForPerson = saw('approval_request') && !saw('approval_resolved') && reply.status === 'running';
  if (saw('message_complete')) {
    expect(reply.status, where).toBe('complete');
  } else if (waitingForPerson) {
    await expectApprovalStillAnswerable(context, reply.id);
    reply = (await get(`${url}/api/sessions/${sessionId}/messages?limit=500`)).find((m: any) => m.id === reply.id);
    expect(reply).toMatchObject({ status: 'complete', content: expect.stringContaining('exited cleanly.') });
  } else {
    // Finished between the last frame read and the kill, or (usually) cut short: never left running.
    expect(['interrupted', 'complete'], where).toContain(reply.status);
    if (reply.status === 'complete') expect(storedTypes, where).toContain('message_complete');
    else {
      expect(reply.error, where).toMatchObject({ code: 'interrupted' });
      expect(storedTypes, where).toContain('error');
    }
  }
  const seenText = round.seen.filter((f) => f.event === 'content_delta').map((f) => f.data.delta).join('');
  // Text is saved every 100 ms: what was kept and what was seen are both beginnings of the same text.
  expect(seenText.startsWith(reply.content) || reply.content.startsWith(seenText), `${where}: text "${reply.content}" vs seen "${seenText}"`).toBe(true);
  for (const part of reply.parts.filter((p: any) => p.type === 'tool_call')) {
    expect(['pending', 'running', 'awaiting_approval'], `${where}: tool call ${part.id} left ${part.status}`).not.toContain(part.status);
  }
  expect(stored.integrity, where).toBe('ok');

  // 4. A client that rejoins from the last seq it saw gets a replay without holes, or one resync.
  await expectConsistentRejoin(context, where);

  // 5. The session takes the next message, and the model is sent a well-formed conversation.
  await waitFor(async () => (await get(`${url}/api/sessions/${sessionId}`)).status, (s) => s === 'idle');
  const next = round.tag.replace("round", "next");
  context.llm.enqueue({ match: context.forRound(next), text: 'still here' });
  const response = await fetch(`${url}/api/sessions/${sessionId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: `${next} go on` }) });
  expect(response.status, where).toBe(200);
  expect(await response.json()).toMatchObject({ content: 'still here', status: 'complete' });
  expectToolCallsAnswered(context.llm.requests.at(-1)!.body.messages, where);

  const final: any[] = await get(`${url}/api/sessions/${sessionId}/messages?limit=500`);
  const start = final.findIndex((m) => m.id === userMessage.id);
  round.settled = final.slice(start).map(({ id, role, content, status }) => ({ id, role, content, status }));
}

function readStore(file: string, sessionId: string): { events: Map<number, any>; integrity: unknown } {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT seq, body FROM events WHERE session_id = ? ORDER BY seq').all(sessionId) as { seq: number; body: string }[];
    return { events: new Map(rows.map((row) => [row.seq, JSON.parse(row.body)])), integrity: db.pragma('integrity_check', { simple: true }) };
  } finally {
    db.close();
  }
}

async function expectApprovalStillAnswerable({ url, sessionId, round }: CrashCheckContext, replyId: string): Promise<void> {
  const requested = round.seen.find((f) => f.event === 'approval_request')!.data;
  expect((await get(`${url}/api/sessions/${sessionId}`)).status).toBe('waiting_approval');
  const pending: any[] = await get(`${url}/api/sessions/${sessionId}/approvals?status=pending`);
  expect(pending.map((a) => a.id)).toEqual([requested.id]);
  const answer = await fetch(`${url}/api/sessions/${sessionId}/approvals/${requested.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'allow_once' }) });
  expect(answer.status).toBe(200);
  await waitFor(async () => (await get(`${url}/api/sessions/${sessionId}/messages?limit=500`)).find((m: any) => m.id === replyId)?.status, (s) => s !== 'running', 15_000);
}

async function expectConsistentRejoin({ url, sessionId, round, databaseFile }: CrashCheckContext, where: string): Promise<void> {
  const lastSeen = Math.max(...round.seen.map((f) => Number(f.id)));
  const storedAfter = [...readStore(databaseFile, sessionId).events.values()].filter((e) => e.seq > lastSeen);
  const maxStored = Math.max(lastSeen, ...storedAfter.map((e) => e.seq));
  const response = await fetch(`${url}/api/sessions/${sessionId}/events`, { headers: { 'last-event-id': String(lastSeen) } });
  expect(response.status).toBe(200);
  const frames = await readSse(response, (frame, all) => frame.event === 'resync' || Number(all.at(-1)!.id) >= maxStored, 5000);
  if (frames[0]?.event === 'resync') {
    expect(frames, where).toHaveLength(1);
    expect(Number(frames[0].id), `${where}: resync seq`).toBeGreaterThanOrEqual(maxStored);
    return;
  }
  // A replay: it continues exactly where the client stopped, with no hole in the numbering.
  const seqs = frames.map((f) => Number(f.id));
  expect(seqs, `${where}: replay numbering`).toEqual(seqs.map((_, i) => lastSeen + 1 + i));
  for (const frame of frames.filter(isDurable)) expect(frame.data, where).toEqual(storedAfter.find((e) => e.seq === Number(frame.id)));
}

/** Every tool call in the conversation sent to the model has its result (OpenAI chat format). */
function expectToolCallsAnswered(messages: any[], where: string): void {
  const answered = new Set(messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id));
  for (const message of messages.filter((m) => m.role === 'assistant' && m.tool_calls)) {
    for (const call of message.tool_calls) expect(answered.has(call.id), `${where}: tool call ${call.id} has a result`).toBe(true);
  }
}
