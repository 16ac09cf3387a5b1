/** An `{error, code}` answer from goosed (or a failure to reach it), as one throwable type. */
export class GoosedError extends Error {
  constructor(
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** goosed's stable snake_case code, e.g. `session_busy`, `unauthorized`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GoosedError';
  }

  /** Builds the error from a response that is not ok, reading its `{error, code}` body when it has one. */
  static async fromResponse(response: Response): Promise<GoosedError> {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // not JSON (a proxy's page, an empty body): fall back to the status line
    }
    return GoosedError.fromBody(response.status, body, response.statusText);
  }

  static fromBody(status: number, body: unknown, statusText = ''): GoosedError {
    if (body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string') {
      const { error, code } = body as { error: string; code?: unknown };
      return new GoosedError(status, typeof code === 'string' ? code : `http_${status}`, error);
    }
    return new GoosedError(status, `http_${status}`, `goosed answered ${status}${statusText ? ` ${statusText}` : ''}.`);
  }
}
