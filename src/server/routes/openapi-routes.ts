import type { App } from '../app-context.js';

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'goosed',
    description:
      'The goosed agent server: sessions, messages, replies streamed over SSE and WebSocket, providers, extensions, approvals and settings. ' +
      'Every error is `{error, code}`. With a secret key set, every route but `/api/status` needs `Authorization: Bearer <key>` or `X-Secret-Key: <key>`.',
  },
};

/** The OpenAPI document, built from the route schemas the first time it is asked for. */
export function openApiDocument(app: App, version: string) {
  return app.getOpenAPI31Document({ ...OPENAPI_INFO, info: { ...OPENAPI_INFO.info, version } });
}

export function openApiRoutes(app: App, version: string): void {
  let document: string | null = null;
  app.get('/api/openapi.json', (c) => {
    document ??= JSON.stringify(openApiDocument(app, version), null, 2);
    return c.body(document, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });
}
