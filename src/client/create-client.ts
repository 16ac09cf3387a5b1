import createClient, { type Client } from 'openapi-fetch';
import { followSession, keyOf, type FollowSessionOptions, type KeySource, type SessionFollower } from './follow-session.js';
import { GoosedError } from './goosed-error.js';
import type { ExactBodyMethod } from './exact-body.js';
import type { paths } from './schema.js';

export interface GoosedClientOptions {
  /** Where goosed answers, e.g. `http://127.0.0.1:8080`; a page on goosed itself passes `location.origin`. */
  baseUrl: string;
  /** The secret key, when the server has one; a function is asked before every request. */
  key?: KeySource;
  fetch?: typeof globalThis.fetch;
}

export interface GoosedClient extends Omit<Client<paths>, 'POST' | 'PUT' | 'PATCH'> {
  readonly baseUrl: string;
  /** A body with a field the route does not take is a type error (as it is a 400 from goosed). */
  POST: ExactBodyMethod<'post'>;
  PUT: ExactBodyMethod<'put'>;
  PATCH: ExactBodyMethod<'patch'>;
  /** Follows a session's events with reconnect and replay (see `followSession`). */
  followSession(sessionId: string, options: Omit<FollowSessionOptions, 'baseUrl' | 'sessionId' | 'key' | 'fetch'>): SessionFollower;
}

/**
 * A typed client of the goosed API: `client.GET('/api/sessions/{id}', { params: { path: { id } } })`
 * checks paths, parameters, bodies and results against the OpenAPI document at compile time.
 */
export function createGoosedClient(options: GoosedClientOptions): GoosedClient {
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const client = createClient<paths>({ baseUrl, fetch: (request) => fetchImpl(request) });
  client.use({
    onRequest({ request }) {
      const key = keyOf(options.key);
      if (key && !request.headers.has('authorization')) request.headers.set('Authorization', `Bearer ${key}`);
      return request;
    },
  });
  const goosed = Object.assign(client, {
    baseUrl,
    followSession: (sessionId: string, follow: Omit<FollowSessionOptions, 'baseUrl' | 'sessionId' | 'key' | 'fetch'>) =>
      followSession({ ...follow, baseUrl, sessionId, key: options.key, fetch: fetchImpl }),
  });
  // The same methods: ExactBodyMethod only narrows what their bodies may hold.
  return goosed as unknown as GoosedClient;
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/**
 * The data of a call, or its `{error, code}` thrown as a GoosedError:
 * `const session = await dataOf(client.GET('/api/sessions/{id}', ...))`.
 */
export async function dataOf<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw GoosedError.fromBody(response.status, error, response.statusText);
  return data as T;
}
