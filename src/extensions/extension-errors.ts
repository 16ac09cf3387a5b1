// What can go wrong when extensions are configured: domain errors with a stable code and no HTTP
// status (server/error-status.ts gives each code its status).
import { Conflict, InvalidConfig, NotFound } from '../api/domain-errors.js';

/** An unknown built-in or an invalid config: the person who configured it can fix it. */
export class ExtensionConfigError extends InvalidConfig {
  constructor(message: string) {
    super('invalid_extension_config', message);
  }
}

/** Names are unique among those a reply may offer (server-wide, and a session's own): they prefix the tools' names. */
export class ExtensionExists extends Conflict {
  constructor(name: string, message = `An extension named "${name}" already exists: change it with PATCH /api/extensions/${name}.`) {
    super('extension_exists', message);
  }

  static inSession(name: string): ExtensionExists {
    return new ExtensionExists(name, `The session already has an extension named "${name}".`);
  }

  static serverWide(name: string): ExtensionExists {
    return new ExtensionExists(name, `An extension named "${name}" is configured for every session; a session's own needs another name (it prefixes the names of its tools).`);
  }
}

export class ExtensionNotFound extends NotFound {
  constructor(idOrName: string) {
    super(`No extension with id ${JSON.stringify(idOrName)}.`);
  }
}
