// What can go wrong when extensions are configured: domain errors with a stable code and no HTTP
// status (server/error-status.ts gives each code its status).
import { Conflict, InvalidConfig, NotFound } from '../api/domain-errors.js';

/** An unknown built-in or an invalid config: the person who configured it can fix it. */
export class ExtensionConfigError extends InvalidConfig {
  constructor(message: string) {
    super('invalid_extension_config', message);
  }
}

/** Names are unique: they prefix the tools' names. */
export class ExtensionExists extends Conflict {
  constructor(name: string) {
    super('extension_exists', `An extension named "${name}" already exists: change it with PATCH /api/extensions/${name}.`);
  }
}

export class ExtensionNotFound extends NotFound {
  constructor(idOrName: string) {
    super(`No extension with id ${JSON.stringify(idOrName)}.`);
  }
}
