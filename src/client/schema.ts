// Generated from openapi.json by `npm run openapi` (openapi-typescript). Do not edit by hand:
// change the route schemas and run it again.

export interface paths {
    "/api/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health check (needs no key) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The server is up */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Status"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List sessions, most recently updated first
         * @description A plain array. When more exist, `X-Next-Cursor` and a `Link: <...>; rel="next"` header point to the next page.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page size (default 50). */
                    limit?: number;
                    /** @description The X-Next-Cursor of the previous page. */
                    cursor?: string;
                    /** @description Case-insensitive search in names and working directories. */
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One page of sessions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionSummary"][];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateSessionRequest"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a session from an export
         * @description Everything gets new ids. The working directory must exist here (or give `working_directory`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ImportSessionRequest"];
                };
            };
            responses: {
                /** @description The imported session */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A session and its messages as portable JSON */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The export */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionExport"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A session with its messages */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The session */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a session (cancelling its running reply) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Rename a session, or change its working directory or execution mode */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateSessionRequest"];
                };
            };
            responses: {
                /** @description The session after the change */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionSummary"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/sessions/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A session's messages, oldest first
         * @description A plain array; with `limit`, `X-Next-Cursor` and `Link` headers point to the next page.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page size (default: all). */
                    limit?: number;
                    /** @description The X-Next-Cursor of the previous page. */
                    cursor?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The history */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Message"][];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Send a message and wait for the complete reply
         * @description Answers with the assistant message once the reply has ended (tool calls and approvals included). A reply that fails answers 502 with `{error, code}` (422 `context_too_long` when the conversation does not fit the model even compacted); what it wrote is kept in the history.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Sending the same key again does not start a second reply. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SendMessageRequest"];
                };
            };
            responses: {
                /** @description The assistant message (`status` complete or cancelled) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Message"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed, but cannot be carried out (context_too_long: the conversation does not fit the model even compacted) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The provider failed */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/messages/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a message and follow the reply as Server-Sent Events
         * @description Frames are `id: <seq>`, `event: <type>`, `data: <SessionEvent JSON>`. The stream ends after `message_complete` or `error`. Disconnecting does not stop the reply: rejoin through `/events` with `Last-Event-ID`.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Sending the same key again does not start a second reply. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SendMessageRequest"];
                };
            };
            responses: {
                /** @description The reply, as it happens */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": components["schemas"]["SessionEvent"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stop the running reply
         * @description Aborts the provider request and kills running tools, then answers with the partial reply (status cancelled). `cancelled: false` when nothing was running.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description What was stopped */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CancelResult"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/compact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Summarise the older part of the conversation now
         * @description The model writes a summary of every turn but the most recent ones; from then on it sees the summary instead of them. The history keeps every message. Followers get `context_compacted`. 409 `session_busy` while a reply runs (a message sent meanwhile is answered the same way). `summary` is null when there is no older turn to summarise.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The summary and the context after it */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CompactResult"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed, but cannot be carried out (context_too_long: the conversation does not fit the model even compacted) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The provider failed */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/summaries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The session's summaries, oldest first
         * @description The model sees the last one, then the messages after its `through_message_id`.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The summaries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ContextSummary"][];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow every event of a session, live, with replay
         * @description Server-Sent Events: `id: <seq>`, `event: <type>`, `data: <SessionEvent JSON>`, and a comment heartbeat. Reconnect with `Last-Event-ID` (or `?after=`) to get what was missed, then live events; where that is no longer available, one `resync` event comes instead (fetch the session, then follow on).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Replay events after this seq (like Last-Event-ID). */
                    after?: number | null;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The session's events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": components["schemas"]["SessionEvent"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The seed's WebSocket: send messages and follow the session's events
         * @description Upgrade to a WebSocket (`ws://HOST:PORT/api/sessions/{id}/stream`). The upgrade passes the same Host and Origin checks as every request.
         *     With a secret key, send it as a header, or (browsers) as the first frame `{"type":"auth","key":"..."}`.
         *
         *     Client frames (JSON text, `WebSocketClientFrame`): `message`, `cancel`, `approval`, `resume`, `auth`.
         *     Server frames: the session's events (`SessionEvent`), the same objects as SSE, as JSON text; the connection follows the session live from the moment it opens (or from `?after=` / `resume`).
         *     A frame that is refused (not JSON, binary, too large, unknown type, a missing field, `session_busy`, `no_provider`) gets an `error` event for that client only; the connection stays open.
         *
         *     Close codes: 1001 server shutting down; 1009 frame far over the limit; 4008 the client read too slowly (reconnect and `resume`);
         *     4401 key missing from the first frame, or wrong; 4404 no such session; 4410 the session was deleted.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start by replaying the events after this seq (like sending `resume`). */
                    after?: number | null;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Switching Protocols: the connection is now a WebSocket carrying the frames described above */
                101: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not a WebSocket upgrade request */
                426: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A session's approvals (pending ones wait for a person) */
        get: {
            parameters: {
                query?: {
                    status?: "pending" | "resolved" | "cancelled";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The approvals, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Approval"][];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/approvals/{approval_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer an approval
         * @description `always_allow` / `always_deny` are remembered for the tool. An unknown id is 404; one already answered (or cancelled) is 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    approval_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ResolveApprovalRequest"];
                };
            };
            responses: {
                /** @description The approval, answered */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Approval"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The remembered always_allow / always_deny decisions
         * @description One per tool, set by answering an approval with `always_allow` or `always_deny`; they hold server-wide, in every session and execution mode.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only the decisions of this kind. */
                    decision?: components["schemas"]["PermissionDecision"] & unknown;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The decisions, by tool name */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Permission"][];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/permissions/{tool}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Forget the remembered decision about a tool
         * @description The next call of the tool follows the execution mode again (it asks, in `approve`). 404 when nothing is remembered for it.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tool: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Forgotten */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every provider goosed supports, which are configured, and which is current */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The providers */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Provider"][];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Configure a provider and make it current
         * @description The key is stored owner-only and never returned; `api_key_hint` shows its last four characters.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ConfigureProviderRequest"];
                };
            };
            responses: {
                /** @description The provider now current */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CurrentProvider"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/providers/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current provider and model (never the key) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The current provider */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CurrentProvider"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/providers/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Forget a provider's stored settings and key */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The configured extensions, with state and tools
         * @description Extensions start on first use, so `tools` holds what each listed at its last start (built-in ones: always). Reading the list starts nothing: `POST /api/extensions/start` does.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The extensions, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Extension"][];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add an extension
         * @description e.g. `{"name":"developer","config":{"allow_shell":true}}`, `{"name":"files","config":{"command":"npx","args":["-y","@modelcontextprotocol/server-filesystem","/tmp"]}}` or `{"name":"remote","config":{"url":"https://example.com/mcp","headers":{"Authorization":"Bearer …"}}}`. An enabled extension starts in the background; a name already in use is 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AddExtensionRequest"];
                };
            };
            responses: {
                /** @description Added */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Extension"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start the enabled extensions that are not running, and list them all
         * @description Waits for them to start (or fail), so that every tool is listed; a failed one is retried at once. Answers as `GET /api/extensions` does. A POST: starting processes is not something a link or an image on another site may do.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The extensions, oldest first, after starting */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Extension"][];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One extension (by id or name) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The extension id or its name. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The extension */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Extension"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Remove an extension
         * @description Stops it and forgets the always_allow / always_deny decisions about its tools.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The extension id or its name. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change an extension's config, or enable / disable it
         * @description A new config replaces the old one and restarts the extension; disabling stops it (running calls end with an error result).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The extension id or its name. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateExtensionRequest"];
                };
            };
            responses: {
                /** @description The extension after the change */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Extension"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/extensions/{id}/toggle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Enable ↔ disable
         * @description Disabling stops the extension; enabling starts it again in the background (also the way to restart a failed one at once).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The extension id or its name. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The extension after the toggle */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Extension"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/sessions/{id}/extensions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A session's own extensions
         * @description Offered in this session's replies only, besides the server-wide ones (`GET /api/extensions`). Reading the list starts nothing.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The extensions, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Extension"][];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add an extension to one session
         * @description As `POST /api/extensions`, for this session only: its tools are offered in this session's replies, and it is deleted with the session. It starts in the background. A name used in the session, or by a server-wide extension (both would offer the same tool names), is 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AddExtensionRequest"];
                };
            };
            responses: {
                /** @description Added */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Extension"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/extensions/{extension_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove one of a session's own extensions
         * @description Stops it. Remembered always_allow / always_deny decisions about its tools stay (they are by tool name, shared by every session).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The session id. */
                    id: string;
                    /** @description The extension's id or its name. */
                    extension_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All settings */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The current settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Settings"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change some settings (saved to the config file) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SettingsPatch"];
                };
            };
            responses: {
                /** @description The settings after the change */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Settings"];
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The secret key is missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Host, Origin or a request from another site not allowed */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported content type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A JSON text frame a client sends on /api/sessions/{id}/stream. */
        WebSocketClientFrame: components["schemas"]["WebSocketAuthFrame"] | components["schemas"]["WebSocketMessageFrame"] | components["schemas"]["WebSocketCancelFrame"] | components["schemas"]["WebSocketApprovalFrame"] | components["schemas"]["WebSocketResumeFrame"];
        /** @description The server's secret key, for clients that cannot set headers (browsers). When a key is required and was not sent as a header, this must be the first frame. */
        WebSocketAuthFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "auth";
            key: string;
        };
        /** @description Starts a reply, exactly like POST /api/sessions/{id}/messages/stream; its events go to every client following the session. */
        WebSocketMessageFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "message";
            content: string;
            /**
             * @description Only user messages can be sent.
             * @enum {string}
             */
            role?: "user";
            /** @description Client-chosen id of the user message; sending the same id again does not start a second reply. */
            id?: string;
            /** @description Wait for a running reply to finish instead of answering 409 session_busy. */
            queue?: boolean;
        };
        /** @description Stops the running reply, like POST /api/sessions/{id}/cancel. */
        WebSocketCancelFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cancel";
        };
        /** @description Answers an approval, like POST /api/sessions/{id}/approvals/{approval_id}. */
        WebSocketApprovalFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "approval";
            /** @description The id of the approval_request event. */
            id: string;
            decision: components["schemas"]["ApprovalDecision"];
            message?: string;
        };
        /** @enum {string} */
        ApprovalDecision: "allow_once" | "always_allow" | "deny" | "always_deny";
        /** @description Sends the events after `after` (or one `resync` event when they are no longer available), then follows live. */
        WebSocketResumeFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "resume";
            /** @description The last seq the client saw. */
            after: number;
        };
        Status: {
            /** @enum {string} */
            status: "ok";
            version: string;
        };
        SessionSummary: {
            /** @example 8f7c2a4e-1b2d-4c3e-9f00-5a6b7c8d9e0f */
            id: string;
            name: string;
            working_directory: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description Overrides the server-wide mode for this session; null follows the server setting. */
            execution_mode: components["schemas"]["ExecutionMode"] | null;
            status: components["schemas"]["SessionStatus"];
            /** @description False when the session lives in memory only (created with auto_save off). */
            persisted: boolean;
            message_count: number;
            usage: components["schemas"]["Usage"];
            context: components["schemas"]["ContextUsage"];
            /** @description The provider this session's replies use; null follows the server's current provider. */
            provider: components["schemas"]["ProviderName"] | null;
            /** @description The model this session's replies use; null: the provider's configured model (or its default). */
            model: string | null;
        };
        /**
         * @description auto runs every tool; approve asks before every tool; smart_approval runs read-only tools and asks for the rest; chat offers no tools.
         * @enum {string}
         */
        ExecutionMode: "auto" | "approve" | "smart_approval" | "chat";
        /** @enum {string} */
        SessionStatus: "idle" | "running" | "waiting_approval";
        Usage: {
            input_tokens: number;
            output_tokens: number;
            total_tokens: number;
        };
        ContextUsage: {
            /** @description Tokens the model's view of the session holds (as of the last model call): the provider's count of the last prompt, plus an estimate of what was added since. */
            tokens: number;
            /** @description The model's context window in tokens; null while it is not known. */
            limit: number | null;
        };
        /** @enum {string} */
        ProviderName: "anthropic" | "openai" | "openai_compatible" | "ollama" | "google";
        Error: {
            /** @description A sentence a person can act on. */
            error: string;
            /**
             * @description Stable snake_case identifier of the error.
             * @example not_found
             */
            code: string;
        };
        Session: {
            /** @example 8f7c2a4e-1b2d-4c3e-9f00-5a6b7c8d9e0f */
            id: string;
            name: string;
            working_directory: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description Overrides the server-wide mode for this session; null follows the server setting. */
            execution_mode: components["schemas"]["ExecutionMode"] | null;
            status: components["schemas"]["SessionStatus"];
            /** @description False when the session lives in memory only (created with auto_save off). */
            persisted: boolean;
            message_count: number;
            usage: components["schemas"]["Usage"];
            context: components["schemas"]["ContextUsage"];
            /** @description The provider this session's replies use; null follows the server's current provider. */
            provider: components["schemas"]["ProviderName"] | null;
            /** @description The model this session's replies use; null: the provider's configured model (or its default). */
            model: string | null;
            messages: components["schemas"]["Message"][];
        };
        Message: {
            /** @example msg_01J9Z3V4 */
            id: string;
            session_id: string;
            role: components["schemas"]["MessageRole"];
            /** @description The message's text (all text parts joined). */
            content: string;
            parts: components["schemas"]["MessagePart"][];
            status: components["schemas"]["MessageStatus"];
            /** Format: date-time */
            created_at: string;
            /** @description Tokens the reply used (assistant messages). */
            usage: components["schemas"]["Usage"] | null;
            error: {
                error: string;
                code: string;
            } | null;
            /** @description For an assistant message: the user message it answers. */
            reply_to: string | null;
            /** @description For an assistant message: the provider that wrote it (null for user messages and replies written before goosed recorded it). */
            provider: components["schemas"]["ProviderName"] | null;
            /** @description For an assistant message: the model that wrote it. */
            model: string | null;
        };
        /** @enum {string} */
        MessageRole: "user" | "assistant";
        MessagePart: components["schemas"]["TextPart"] | components["schemas"]["ToolCallPart"];
        TextPart: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "text";
            text: string;
        };
        ToolCallPart: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool_call";
            /** @description goosed's own id of the call, unique: approvals, events and results refer to it. */
            id: string;
            /** @description The id the provider gave the call (providers repeat ids); used only to pair the result with the call in the prompt. Absent on calls recorded before goosed gave calls ids of their own. */
            provider_call_id?: string;
            /** @description Exposed name, `<extension>__<tool>`. */
            tool: string;
            arguments: {
                [key: string]: unknown;
            };
            status: components["schemas"]["ToolCallStatus"];
            result: components["schemas"]["ToolResultBody"] | null;
        };
        /** @enum {string} */
        ToolCallStatus: "pending" | "awaiting_approval" | "running" | "done" | "denied" | "cancelled" | "error";
        ToolResultBody: {
            content: string;
            is_error: boolean;
        };
        /**
         * @description interrupted: the server stopped while the reply ran; what was written is kept.
         * @enum {string}
         */
        MessageStatus: "running" | "complete" | "cancelled" | "interrupted" | "error";
        CreateSessionRequest: {
            /** @example My Project */
            name?: string;
            /**
             * @description An existing directory: absolute, `~` or `~/...` (the user's home; `~user` is refused), or relative to the default_working_directory setting, which is also the default.
             * @example /path/to/project
             */
            working_directory?: string;
            execution_mode?: components["schemas"]["ExecutionMode"] | null;
        };
        ImportSessionRequest: {
            /** @enum {string} */
            format: "goosed.session";
            /** @enum {number} */
            version: 1;
            exported_at: string;
            session: {
                name: string;
                working_directory: string;
                execution_mode: components["schemas"]["ExecutionMode"] | null;
                created_at: string;
            };
            messages: {
                role: components["schemas"]["MessageRole"];
                /** @description The message's text (all text parts joined). */
                content: string;
                parts: components["schemas"]["MessagePart"][];
                status: components["schemas"]["MessageStatus"];
                /** Format: date-time */
                created_at: string;
                /** @description Tokens the reply used (assistant messages). */
                usage: components["schemas"]["Usage"] | null;
                error: {
                    error: string;
                    code: string;
                } | null;
                /** @description For an assistant message: the provider that wrote it (null for user messages and replies written before goosed recorded it). */
                provider?: components["schemas"]["ProviderName"] | null;
                /** @description For an assistant message: the model that wrote it. */
                model?: string | null;
            }[];
            /** @description Overrides the exported working directory (which must exist on this machine otherwise). */
            working_directory?: string;
        };
        SessionExport: {
            /** @enum {string} */
            format: "goosed.session";
            /** @enum {number} */
            version: 1;
            exported_at: string;
            session: {
                name: string;
                working_directory: string;
                execution_mode: components["schemas"]["ExecutionMode"] | null;
                created_at: string;
            };
            messages: {
                role: components["schemas"]["MessageRole"];
                /** @description The message's text (all text parts joined). */
                content: string;
                parts: components["schemas"]["MessagePart"][];
                status: components["schemas"]["MessageStatus"];
                /** Format: date-time */
                created_at: string;
                /** @description Tokens the reply used (assistant messages). */
                usage: components["schemas"]["Usage"] | null;
                error: {
                    error: string;
                    code: string;
                } | null;
                /** @description For an assistant message: the provider that wrote it (null for user messages and replies written before goosed recorded it). */
                provider?: components["schemas"]["ProviderName"] | null;
                /** @description For an assistant message: the model that wrote it. */
                model?: string | null;
            }[];
        };
        UpdateSessionRequest: {
            name?: string;
            /** @description An existing directory: absolute, `~` or `~/...` (the user's home; `~user` is refused), or relative to the default_working_directory setting, which is also the default. */
            working_directory?: string;
            execution_mode?: components["schemas"]["ExecutionMode"] | null;
            /** @description A configured provider (stored, or usable from the environment) for this session; null follows the server's current one (and clears model). Choosing another provider clears model unless model is given. */
            provider?: components["schemas"]["ProviderName"] | null;
            /** @description A model of the session's provider; null: the provider's configured model. Needs a provider. */
            model?: string | null;
        };
        SendMessageRequest: {
            content: string;
            /**
             * @description Only user messages can be sent.
             * @enum {string}
             */
            role?: "user";
            /** @description Client-chosen id of the user message; sending the same id again does not start a second reply. */
            id?: string;
            /** @description Wait for a running reply to finish instead of answering 409 session_busy. */
            queue?: boolean;
        };
        SessionEvent: components["schemas"]["UserMessageEvent"] | components["schemas"]["MessageStartEvent"] | components["schemas"]["ContentDeltaEvent"] | components["schemas"]["ToolUseEvent"] | components["schemas"]["ToolProgressEvent"] | components["schemas"]["ApprovalRequestEvent"] | components["schemas"]["ApprovalResolvedEvent"] | components["schemas"]["ToolResultEvent"] | components["schemas"]["MessageCompleteEvent"] | components["schemas"]["ErrorEvent"] | components["schemas"]["SessionUpdatedEvent"] | components["schemas"]["ContextCompactedEvent"] | components["schemas"]["ResyncEvent"];
        /** @description A user message was added to the session. */
        UserMessageEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "user_message";
            message: components["schemas"]["Message"];
        };
        /** @description The assistant began a reply; `message` is still empty. */
        MessageStartEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "message_start";
            message: components["schemas"]["Message"];
        };
        /** @description A piece of assistant text. Live: recent ones are kept for replay. */
        ContentDeltaEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "content_delta";
            delta: string;
        };
        /** @description The model asked for a tool. */
        ToolUseEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool_use";
            id: string;
            tool: string;
            arguments: {
                [key: string]: unknown;
            };
        };
        /** @description A running tool reported progress. Live. */
        ToolProgressEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool_progress";
            id: string;
            progress: number;
            total?: number;
            message?: string;
        };
        /** @description A tool call waits for a person. */
        ApprovalRequestEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "approval_request";
            /** @description The approval id to answer. */
            id: string;
            tool_call_id: string;
            tool: string;
            arguments: {
                [key: string]: unknown;
            };
            reason: string;
        };
        ApprovalResolvedEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "approval_resolved";
            id: string;
            decision: components["schemas"]["ApprovalDecision"];
        };
        /** @description What a tool call gave back (`id` is the tool call id). */
        ToolResultEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool_result";
            id: string;
            content: string;
            is_error: boolean;
        };
        /** @description The reply ended; `message.status` says how (complete, cancelled). */
        MessageCompleteEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "message_complete";
            message: components["schemas"]["Message"];
            context?: components["schemas"]["ContextUsage"] & unknown;
        };
        /** @description The reply failed (what was produced is kept), or a WebSocket frame was refused. */
        ErrorEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "error";
            error: string;
            code: string;
        };
        /** @description Name, status or usage of the session changed. */
        SessionUpdatedEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session_updated";
            session: components["schemas"]["SessionSummary"];
        };
        /** @description The older part of the conversation was summarised: the model now sees the summary instead of the messages up to `summary.through_message_id` (the history keeps them). `message_id` is the reply it happened in, absent for POST /compact. */
        ContextCompactedEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "context_compacted";
            summary: components["schemas"]["ContextSummary"];
            tokens_before: number;
            tokens_after: number;
        };
        ContextSummary: {
            id: string;
            session_id: string;
            text: string;
            /** @description The last message the summary replaces: every message up to and including it. */
            through_message_id: string;
            /** @description The model's view before the compaction, in tokens. */
            tokens_before: number;
            /** @description The same view with this summary in place of the messages it replaces. */
            tokens_after: number;
            /** Format: date-time */
            created_at: string;
        };
        /** @description Events the client asked for are no longer available: fetch the session again, then follow from this seq. */
        ResyncEvent: {
            /** @description Per-session, strictly increasing. */
            seq: number;
            session_id: string;
            /** @description The assistant message the event belongs to. */
            message_id?: string;
            /** Format: date-time */
            created_at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "resync";
            reason: string;
        };
        CancelResult: {
            cancelled: boolean;
            message: components["schemas"]["Message"] | null;
        };
        CompactResult: {
            /** @description The new summary; null when there was nothing old enough to summarise. */
            summary: components["schemas"]["ContextSummary"] | null;
            context: components["schemas"]["ContextUsage"];
        };
        Approval: {
            id: string;
            session_id: string;
            message_id: string;
            tool_call_id: string;
            tool: string;
            arguments: {
                [key: string]: unknown;
            };
            reason: string;
            /**
             * @description cancelled: the reply ended before anyone answered.
             * @enum {string}
             */
            status: "pending" | "resolved" | "cancelled";
            decision: components["schemas"]["ApprovalDecision"] | null;
            /** @description What the person told the model with the decision. */
            message: string | null;
            /** Format: date-time */
            created_at: string;
            resolved_at: string | null;
        };
        ResolveApprovalRequest: {
            decision: components["schemas"]["ApprovalDecision"];
            message?: string;
        };
        Permission: {
            /**
             * @description Exposed tool name, `<extension>__<tool>`.
             * @example developer__shell
             */
            tool: string;
            decision: components["schemas"]["PermissionDecision"];
            /**
             * Format: date-time
             * @description When the decision was last given (answering an approval).
             */
            updated_at: string;
        };
        /** @enum {string} */
        PermissionDecision: "always_allow" | "always_deny";
        Provider: {
            name: components["schemas"]["ProviderName"];
            display_name: string;
            description: string;
            /** @description Set up through the API (stored), or through the environment: what it needs (a key, a base URL) is there and one of its variables (or GOOSE_PROVIDER) names it. */
            configured: boolean;
            current: boolean;
            /** @description The model its replies use: the configured one, else GOOSE_MODEL when GOOSE_PROVIDER names this provider, else the default one. */
            model: string | null;
            /** @description Credentials in it (a password, a token, a key in the query) are shown as `********`. */
            base_url: string | null;
            /** @description The last four characters of the key, never the key. */
            api_key_hint: string | null;
            /** @enum {string} */
            api_key_source: "stored" | "environment" | "none";
            api_key_env: string[];
            requires_api_key: boolean;
            requires_base_url: boolean;
            /** @description The configured context window of the model, in tokens; null follows goosed's catalogue of models. */
            context_limit: number | null;
            /** @description The configured cap on tokens the model writes in one call; null follows the catalogue. */
            output_limit: number | null;
        };
        CurrentProvider: {
            name: components["schemas"]["ProviderName"];
            model: string;
            /** @description Credentials in it are shown as `********`. */
            base_url: string | null;
        };
        ConfigureProviderRequest: {
            name: components["schemas"]["ProviderName"];
            /** @description Optional where the environment has one, or for ollama. */
            api_key?: string;
            model: string;
            /** @description The base URL as GET shows it (credentials masked) keeps the stored one. */
            base_url?: string;
            /** @description The model's context window in tokens, where goosed's catalogue does not know the model or knows it wrong (a local model, a gateway). Without it goosed uses the catalogue, then what the provider's refusals state. */
            context_limit?: number;
            /** @description The most tokens the model may write in one call (caps max_output_tokens). */
            output_limit?: number;
        };
        Extension: {
            id: string;
            name: string;
            type: components["schemas"]["ExtensionType"];
            /** @description Header and env values, and a password in the URL, are shown as `********`. */
            config: {
                [key: string]: unknown;
            };
            enabled: boolean;
            state: components["schemas"]["ExtensionState"];
            /** @description The most recent failure (kept after a later successful start; `state` says whether it is current). */
            last_error: string | null;
            /** @description Known from its last start (built-in extensions: always). `POST /api/extensions/start` starts enabled extensions to list them. */
            tools: components["schemas"]["ExtensionTool"][];
            /** Format: date-time */
            created_at: string;
            /** @description The session whose own extension this is (offered in that session's replies only, deleted with it); null: server-wide. */
            session_id: string | null;
        };
        /** @enum {string} */
        ExtensionType: "builtin" | "stdio" | "streamable_http";
        /**
         * @description stopped: disabled, or not started yet (extensions start on first use); failed: could not start or crashed (`last_error` says why); it is started again on its next use or when toggled.
         * @enum {string}
         */
        ExtensionState: "stopped" | "starting" | "running" | "failed";
        ExtensionTool: {
            /** @description As the model sees it: `<extension>__<tool>`. */
            name: string;
            description: string;
            read_only: boolean;
        };
        AddExtensionRequest: {
            /** @example developer */
            name: string;
            type?: components["schemas"]["ExtensionType"] & unknown;
            /**
             * @description builtin `developer`: `{allow_shell, shell_timeout_ms, max_output_bytes, kill_grace_ms}`; stdio: `{command, args, env, cwd, timeout_ms, max_output_bytes}`; streamable_http: `{url, headers, timeout_ms, max_output_bytes}`.
             * @default {}
             * @example {
             *       "allow_shell": true
             *     }
             */
            config: {
                [key: string]: unknown;
            };
            /** @description Default true. */
            enabled?: boolean;
        };
        UpdateExtensionRequest: {
            /** @description Replaces the whole config and restarts the extension. `********` values (as GET shows secrets) keep the stored value. */
            config?: {
                [key: string]: unknown;
            };
            enabled?: boolean;
        };
        Settings: {
            execution_mode: components["schemas"]["ExecutionMode"];
            /** @description When false, new sessions live in memory only. */
            auto_save: boolean;
            /** @description Most model calls in one reply. */
            max_turns: number;
            /** @description Browser origins besides the server's own that may call the API. */
            allowed_origins: string[];
            /** @description Host names besides loopback and the bound host that the server answers to. */
            allowed_hosts: string[];
            /** @description Default timeout of one tool call. */
            tool_timeout_ms: number;
            /** @description Share of the model's context window past which the older part of a conversation is compacted before the next model call. */
            compaction_threshold: number;
            /** @description Where a session works when it is created without a working_directory, and what a relative one is relative to: an existing directory; `~` and `~/...` are the user's home. Default `~`. */
            default_working_directory: string;
            /** @description Variables of goosed's environment that shell commands and stdio MCP servers get although goosed withholds them (its own GOOSED_* variables and credentials: *_KEY, *TOKEN, *SECRET, *PASSWORD, ...). Exact names; read when a process starts. */
            env_passthrough: string[];
        };
        SettingsPatch: {
            execution_mode?: components["schemas"]["ExecutionMode"];
            /** @description When false, new sessions live in memory only. */
            auto_save?: boolean;
            /** @description Most model calls in one reply. */
            max_turns?: number;
            /** @description Browser origins besides the server's own that may call the API. */
            allowed_origins?: string[];
            /** @description Host names besides loopback and the bound host that the server answers to. */
            allowed_hosts?: string[];
            /** @description Default timeout of one tool call. */
            tool_timeout_ms?: number;
            /** @description Share of the model's context window past which the older part of a conversation is compacted before the next model call. */
            compaction_threshold?: number;
            /** @description Where a session works when it is created without a working_directory, and what a relative one is relative to: an existing directory; `~` and `~/...` are the user's home. Default `~`. */
            default_working_directory?: string;
            /** @description Variables of goosed's environment that shell commands and stdio MCP servers get although goosed withholds them (its own GOOSED_* variables and credentials: *_KEY, *TOKEN, *SECRET, *PASSWORD, ...). Exact names; read when a process starts. */
            env_passthrough?: string[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
