import { agent, PROTOCOL_VERSION, type AgentApp, type AgentContext, type SessionUpdate } from '@agentclientprotocol/sdk';
import type { Logger } from 'pino';
import { dataOf, type GoosedClient } from '../client/create-client.js';
import type { ExecutionMode, Session, SessionSummary } from '../client/types.js';
import { VERSION } from '../version.js';
import { historyUpdates } from './history-replay.js';
import { promptText } from './prompt-content.js';
import { PromptTurn } from './prompt-turn.js';
import { toRequestError } from './request-errors.js';
import { giveSessionMcpServers } from './session-mcp-servers.js';
import { executionModeOf, modeState } from './session-modes.js';

/** Page size of `session/list` (goosed's own default). */
const LIST_PAGE = 50;
const TITLE_LENGTH = 60;

interface OpenSession {
  workingDirectory: string;
  /** Named after its first prompt (made by `session/new`, it has goosed's default name). */
  untitled: boolean;
  turn: PromptTurn | null;
}

export interface GoosedAgentOptions {
  api: GoosedClient;
  logger: Logger;
  /** Aborted when the editor closed the connection. */
  closed: AbortSignal;
}

/**
 * The ACP agent: each method done through goosed's public API, so that an editor's sessions are
 * ordinary goosed sessions (listed, shown and followed in the web page, answerable from it).
 */
export function createGoosedAgent({ api, logger, closed }: GoosedAgentOptions): AgentApp {
  const open = new Map<string, OpenSession>();

  const call = async <T>(sessionId: string | undefined, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toRequestError(error, sessionId);
    }
  };
  const currentMode = async (session: SessionSummary): Promise<ExecutionMode> =>
    session.execution_mode ?? (await dataOf(api.GET('/api/config'))).execution_mode;
  const getSession = (id: string): Promise<Session> => dataOf(api.GET('/api/sessions/{id}', { params: { path: { id } } }));
  const sessionFor = async (id: string): Promise<OpenSession> => {
    let session = open.get(id);
    if (!session) {
      // Prompted without session/load in this process (an editor that remembers ids): adopt it.
      session = { workingDirectory: (await getSession(id)).working_directory, untitled: false, turn: null };
      open.set(id, session);
    }
    return session;
  };
  const update = (client: AgentContext, sessionId: string, change: SessionUpdate) => client.notify('session/update', { sessionId, update: change });

  return agent({ name: 'goosed' })
    .onRequest('initialize', () => ({
      protocolVersion: PROTOCOL_VERSION,
      agentCapabilities: {
        loadSession: true,
        promptCapabilities: { embeddedContext: true, image: false, audio: false },
        // stdio MCP servers are every agent's baseline; HTTP ones become streamable_http extensions.
        mcpCapabilities: { http: true, sse: false },
        sessionCapabilities: { list: {} },
      },
      agentInfo: { name: 'goosed', title: 'goosed', version: VERSION },
      authMethods: [],
    }))
    .onRequest('session/new', ({ params }) =>
      call(undefined, async () => {
        const session = await dataOf(api.POST('/api/sessions', { body: { working_directory: params.cwd } }));
        try {
          if (params.mcpServers.length > 0) await giveSessionMcpServers(api, session.id, params.mcpServers, session.working_directory);
        } catch (error) {
          // A session without the servers the editor asked for is not the one it asked for.
          await api.DELETE('/api/sessions/{id}', { params: { path: { id: session.id } } });
          throw error;
        }
        open.set(session.id, { workingDirectory: session.working_directory, untitled: true, turn: null });
        return { sessionId: session.id, modes: modeState(await currentMode(session)) };
      }),
    )
    .onRequest('session/load', ({ params, client }) =>
      call(params.sessionId, async () => {
        let session: SessionSummary = await getSession(params.sessionId);
        const { messages } = session as Session;
        // The editor says where the session works now (a moved checkout, another machine's path).
        if (params.cwd !== session.working_directory) {
          session = await dataOf(api.PATCH('/api/sessions/{id}', { params: { path: { id: session.id } }, body: { working_directory: params.cwd } }));
        }
        await giveSessionMcpServers(api, session.id, params.mcpServers, session.working_directory);
        open.set(session.id, { workingDirectory: session.working_directory, untitled: false, turn: open.get(session.id)?.turn ?? null });
        for (const change of historyUpdates(messages, session.working_directory)) await update(client, session.id, change);
        return { modes: modeState(await currentMode(session)) };
      }),
    )
    .onRequest('session/list', ({ params }) =>
      call(undefined, async () => {
        const listing = api.GET('/api/sessions', { params: { query: { limit: LIST_PAGE, cursor: params.cursor ?? undefined, q: params.cwd ?? undefined } } });
        const [sessions, { response }] = await Promise.all([dataOf(listing), listing]);
        return {
          // goosed's search also matches names and parts of paths; ACP filters on the directory itself.
          sessions: sessions
            .filter((session) => !params.cwd || session.working_directory === params.cwd)
            .map((session) => ({ sessionId: session.id, cwd: session.working_directory, title: session.name, updatedAt: session.updated_at })),
          nextCursor: response.headers.get('x-next-cursor'),
        };
      }),
    )
    .onRequest('session/set_mode', ({ params }) =>
      call(params.sessionId, async () => {
        const mode = executionModeOf(params.modeId);
        await dataOf(api.PATCH('/api/sessions/{id}', { params: { path: { id: params.sessionId } }, body: { execution_mode: mode } }));
        return {};
      }),
    )
    .onRequest('session/prompt', ({ params, client, signal }) =>
      call(params.sessionId, async () => {
        const content = promptText(params.prompt);
        const session = await sessionFor(params.sessionId);
        if (session.untitled) {
          session.untitled = false;
          const title = titleOf(content);
          await dataOf(api.PATCH('/api/sessions/{id}', { params: { path: { id: params.sessionId } }, body: { name: title } }));
          await update(client, params.sessionId, { sessionUpdate: 'session_info_update', title });
        }
        const turn = new PromptTurn({ api, client, sessionId: params.sessionId, workingDirectory: session.workingDirectory, content, logger, signal: closed });
        // The client may also cancel the request itself ($/cancel_request) rather than the session.
        const onCancelRequest = () => void (closed.aborted ? undefined : turn.cancel());
        signal.addEventListener('abort', onCancelRequest, { once: true });
        session.turn = turn;
        try {
          return await turn.run();
        } finally {
          session.turn = null;
          signal.removeEventListener('abort', onCancelRequest);
        }
      }),
    )
    .onNotification('session/cancel', async ({ params }) => {
      try {
        await open.get(params.sessionId)?.turn?.cancel();
      } catch (error) {
        logger.warn({ err: (error as Error).message, session_id: params.sessionId }, 'cancel failed');
      }
    });
}

/** A session's name from its first prompt: the first line with words in it, shortened. */
function titleOf(content: string): string {
  const line = content.split('\n').find((text) => text.trim() !== '')?.trim() ?? 'Editor session';
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}
