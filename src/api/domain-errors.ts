import type { ErrorBody } from './errors.js';

// Errors below server/ say what went wrong, never how to answer it: each carries a stable code, and
// one table in server/ (error-status.ts) maps every code to its HTTP status. A code added here
// without a status there does not compile.

/** Every code a domain error may carry. */
export type DomainErrorCode =
  | 'not_found'
  | 'invalid_cursor'
  | 'invalid_working_directory'
  | 'invalid_model'
  | 'provider_not_configured'
  | 'invalid_provider'
  | 'invalid_extension_config'
  | 'no_provider'
  | 'session_busy'
  | 'duplicate_message'
  | 'approval_already_resolved'
  | 'extension_exists'
  | 'shutting_down'
  | 'context_too_long';

/** An error the domain expects (bad input, a missing thing, a conflict), with a sentence a person can act on. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): ErrorBody {
    return { error: this.message, code: this.code };
  }
}

/** No such session, approval, extension, provider… */
export class NotFound extends DomainError {
  constructor(message: string) {
    super('not_found', message);
  }

  static of(what: string, id: string): NotFound {
    return new NotFound(`No ${what} with id ${JSON.stringify(id)}.`);
  }
}

/** A request that is well-formed but names something unusable (a cursor, a directory, a provider not set up). */
export class InvalidInput extends DomainError {
  constructor(code: 'invalid_cursor' | 'invalid_working_directory' | 'invalid_model' | 'provider_not_configured', message: string) {
    super(code, message);
  }
}

/** A provider or extension configuration that could never work. */
export class InvalidConfig extends DomainError {
  constructor(code: 'invalid_provider' | 'invalid_extension_config', message: string) {
    super(code, message);
  }
}

/** What was asked contradicts the current state (already answered, already there). */
export class Conflict extends DomainError {
  constructor(code: 'duplicate_message' | 'approval_already_resolved' | 'extension_exists', message: string) {
    super(code, message);
  }
}

export class SessionBusy extends DomainError {
  constructor() {
    super('session_busy', 'A reply is already running in this session: wait for it, cancel it, or send with "queue": true.');
  }
}

export class NoProvider extends DomainError {
  constructor(
    message = 'No provider is configured: POST /api/providers with {"name":"anthropic","api_key":"...","model":"claude-sonnet-4-5"} (or set GOOSE_PROVIDER, GOOSE_MODEL and the key variable).',
  ) {
    super('no_provider', message);
  }
}

export class ShuttingDown extends DomainError {
  constructor() {
    super('shutting_down', 'The server is shutting down; send the message again once it is back.');
  }
}

/** The model's view of a session cannot be brought under its context window, even compacted. */
export class ContextTooLong extends DomainError {
  constructor(message: string) {
    super('context_too_long', message);
  }
}
