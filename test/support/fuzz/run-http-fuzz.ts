// Sends generated requests to a running goosed in batches and judges every answer: no 5xx (but
// the documented 502 of a failed provider), every error `{error, code}` as JSON, always an answer.
import fc from 'fast-check';
import type { SchemaContext } from './json-schema-arbitrary.js';
import { httpCaseArbitrary, operationsOf, type HttpCase, type KnownIds } from './http-cases.js';
import { NoAnswer, sendRaw, type RawResponse } from './raw-http.js';
import { fuzzOverrides } from './safe-overrides.js';

export interface FuzzFailure {
  case: Pick<HttpCase, 'operation' | 'mutation' | 'method' | 'target' | 'headers'> & { body: string | null };
  problem: string;
}

export interface HttpFuzzStats {
  sent: number;
  byStatus: Record<number, number>;
  serverErrors: number;
  failures: FuzzFailure[];
  operations: number;
}

export interface HttpFuzzOptions {
  port: number;
  cases: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency?: number;
  batchSize?: number;
  bodyLimitBytes: number;
  /** Paths for `safe-overrides`: a directory that exists, and the scripted LLM's base URL. */
  workingDirectory: string;
  llmUrl: string;
  onBatch?: (stats: HttpFuzzStats) => void;
}

export async function runHttpFuzz(options: HttpFuzzOptions): Promise<HttpFuzzStats> {
  const document = await (await fetch(`http://127.0.0.1:${options.port}/api/openapi.json`)).json();
  const operations = operationsOf(document);
  const context: SchemaContext = { components: document.components.schemas, override: fuzzOverrides(options) };
  const stats: HttpFuzzStats = { sent: 0, byStatus: {}, serverErrors: 0, failures: [], operations: operations.filter((op) => !op.webSocket).length };
  const batchSize = options.batchSize ?? 250;
  for (let batch = 0; stats.sent < options.cases; batch++) {
    // Ids are refreshed between batches: the fuzzer itself creates and deletes sessions and extensions.
    const known = await knownIds(options.port);
    const arbitrary = httpCaseArbitrary(operations, context, options.port, known, options.bodyLimitBytes);
    const count = Math.min(batchSize, options.cases - stats.sent);
    const cases = fc.sample(arbitrary, { numRuns: count, seed: options.seed + batch });
    await inParallel(cases, options.concurrency ?? 8, async (item) => {
      const problem = await sendAndJudge(options.port, item, stats);
      if (problem) stats.failures.push({ case: describeCase(item), problem });
    });
    const alive = await fetch(`http://127.0.0.1:${options.port}/api/status`).then((r) => r.status, () => 0);
    if (alive !== 200) {
      stats.failures.push({ case: describeCase(cases.at(-1)!), problem: `the server stopped answering /api/status after batch ${batch} (status ${alive})` });
      break;
    }
    options.onBatch?.(stats);
  }
  return stats;
}

async function sendAndJudge(port: number, item: HttpCase, stats: HttpFuzzStats): Promise<string | null> {
  stats.sent++;
  let response: RawResponse;
  try {
    response = await sendRaw(port, item);
  } catch (error) {
    return error instanceof NoAnswer ? error.message : `request failed: ${String(error)}`;
  }
  stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
  return judge(item, response, stats);
}

/** The verdict on one answer, or null when it is what goosed promises. */
export function judge(item: Pick<HttpCase, 'operation' | 'method' | 'target'>, response: RawResponse, stats?: HttpFuzzStats): string | null {
  const { status } = response;
  if (status >= 500) {
    const body = parseJson(response.body);
    // Documented: the synchronous send and a compaction answer 502 with the provider's {error, code} when the model call failed.
    const providerFailure = status === 502 && item.method === 'POST' && /^\/api\/sessions\/[^/?]+\/(messages|compact)(\?|$)/.test(item.target) && typeof body?.code === 'string' && body.code.startsWith('provider_');
    if (!providerFailure) {
      if (stats) stats.serverErrors++;
      return `answered ${status}: ${response.body.subarray(0, 300).toString('utf8')}`;
    }
  }
  if (status >= 200 && status < 300) return null;
  if (item.method === 'HEAD') return null;
  if (!/^application\/json/i.test(response.headers['content-type'] ?? '')) {
    return `answered ${status} with content-type ${JSON.stringify(response.headers['content-type'] ?? null)}: ${response.body.subarray(0, 200).toString('utf8')}`;
  }
  const body = parseJson(response.body);
  if (typeof body?.error !== 'string' || body.error.length === 0 || typeof body?.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(body.code)) {
    return `answered ${status} without {error, code}: ${response.body.subarray(0, 300).toString('utf8')}`;
  }
  return null;
}

function parseJson(body: Buffer): any {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

async function knownIds(port: number): Promise<KnownIds> {
  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return response.ok ? ((await response.json()) as { id: string; name?: string }[]) : [];
  };
  let sessions = await get('/api/sessions?limit=20');
  if (sessions.length < 3) {
    for (let i = 0; i < 3; i++) {
      await fetch(`http://127.0.0.1:${port}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `fuzz target ${i}` }) });
    }
    sessions = await get('/api/sessions?limit=20');
  }
  const extensions = await get('/api/extensions');
  const approvals = (await Promise.all(sessions.slice(0, 5).map((s) => get(`/api/sessions/${s.id}/approvals`)))).flat();
  const providers = await get('/api/providers');
  return {
    id: [...sessions.map((s) => s.id), ...extensions.map((e) => e.id)],
    approval_id: approvals.map((a) => a.id),
    name: providers.map((p) => p.name!).filter(Boolean),
  };
}

function describeCase(item: HttpCase): FuzzFailure['case'] {
  const body = item.body ? (item.body.length > 300 ? `${item.body.subarray(0, 300).toString('utf8')}… (${item.body.length} bytes)` : item.body.toString('utf8')) : null;
  return { operation: item.operation, mutation: item.mutation, method: item.method, target: item.target.slice(0, 300), headers: item.headers, body };
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
