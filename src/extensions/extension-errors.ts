// What can go wrong when extensions are configured, as errors with a stable code and no HTTP status:
// the route edge chooses the status (src/server/routes/extension-routes.ts).

/** An unknown built-in or an invalid config: the person who configured it can fix it. */
export class ExtensionConfigError extends Error {
  readonly code = 'invalid_extension_config';
  override name = 'ExtensionConfigError';
}

/** Names are unique: they prefix the tools' names. */
export class ExtensionExists extends Error {
  readonly code = 'extension_exists';
  override name = 'ExtensionExists';

  constructor(name: string) {
    super(`An extension named "${name}" already exists: change it with PATCH /api/extensions/${name}.`);
  }
}

export class ExtensionNotFound extends Error {
  readonly code = 'not_found';
  override name = 'ExtensionNotFound';

  constructor(idOrName: string) {
    super(`No extension with id ${JSON.stringify(idOrName)}.`);
  }
}
