import type { Permission, PermissionDecision } from '../../api/permissions.js';
import type { ExtensionRecord, ProviderRecord, Store } from '../store.js';
import { changes, row, rows, type Queryable } from './database.js';

// Server-wide configuration rows: providers (with their keys), extensions, remembered permissions.
// Every write notifies the other instances (the triggers of migrations.ts).

type ExtensionRow = Omit<ExtensionRecord, 'config'> & { config: string };
type Providers = Store['providers'];
type Extensions = Store['extensions'];
type Permissions = Store['permissions'];

const PROVIDER_COLUMNS = 'name, api_key, model, base_url, context_limit, output_limit, updated_at';

export class ProviderTable implements Providers {
  constructor(private readonly db: Queryable) {}
  list(): Promise<ProviderRecord[]> {
    return rows<ProviderRecord>(this.db, `SELECT ${PROVIDER_COLUMNS} FROM providers ORDER BY name`);
  }
  get(name: string): Promise<ProviderRecord | null> {
    return row<ProviderRecord>(this.db, `SELECT ${PROVIDER_COLUMNS} FROM providers WHERE name = $1`, [name]);
  }
  async save({ name, api_key, model, base_url, context_limit, output_limit, updated_at }: ProviderRecord): Promise<void> {
    await changes(
      this.db,
      `INSERT INTO providers (${PROVIDER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (name) DO UPDATE SET api_key = excluded.api_key, model = excluded.model, base_url = excluded.base_url,
         context_limit = excluded.context_limit, output_limit = excluded.output_limit, updated_at = excluded.updated_at`,
      [name, api_key, model, base_url, context_limit, output_limit, updated_at],
    );
  }
  async delete(name: string): Promise<boolean> {
    return (await changes(this.db, 'DELETE FROM providers WHERE name = $1', [name])) > 0;
  }
}

const EXTENSION_COLUMNS = 'id, name, type, config, enabled, created_at, session_id';

export class ExtensionTable implements Extensions {
  constructor(private readonly db: Queryable) {}
  /** The server-wide extensions, or with `sessionId` that session's own. */
  async list(sessionId?: string): Promise<ExtensionRecord[]> {
    const found =
      sessionId === undefined
        ? await rows<ExtensionRow>(this.db, `SELECT ${EXTENSION_COLUMNS} FROM extensions WHERE session_id IS NULL ORDER BY created_at, name`)
        : await rows<ExtensionRow>(this.db, `SELECT ${EXTENSION_COLUMNS} FROM extensions WHERE session_id = $1 ORDER BY created_at, name`, [sessionId]);
    return found.map(toExtension);
  }
  /** By id, or by name among the server-wide ones (unique there, and what people type). */
  async get(idOrName: string): Promise<ExtensionRecord | null> {
    const found = await row<ExtensionRow>(this.db, `SELECT ${EXTENSION_COLUMNS} FROM extensions WHERE id = $1 OR (session_id IS NULL AND name = $1)`, [idOrName]);
    return found ? toExtension(found) : null;
  }
  async insert({ id, name, type, config, enabled, created_at, session_id }: ExtensionRecord): Promise<void> {
    await changes(this.db, `INSERT INTO extensions (${EXTENSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      id, name, type, JSON.stringify(config), enabled, created_at, session_id,
    ]);
  }
  async update({ id, config, enabled }: ExtensionRecord): Promise<void> {
    await changes(this.db, 'UPDATE extensions SET config = $2, enabled = $3 WHERE id = $1', [id, JSON.stringify(config), enabled]);
  }
  async delete(id: string): Promise<boolean> {
    return (await changes(this.db, 'DELETE FROM extensions WHERE id = $1', [id])) > 0;
  }
}

function toExtension(found: ExtensionRow): ExtensionRecord {
  return { ...found, config: JSON.parse(found.config) };
}

export class PermissionTable implements Permissions {
  constructor(private readonly db: Queryable) {}
  async get(tool: string): Promise<PermissionDecision | null> {
    return (await row<{ decision: PermissionDecision }>(this.db, 'SELECT decision FROM permissions WHERE tool = $1', [tool]))?.decision ?? null;
  }
  async set(tool: string, decision: PermissionDecision): Promise<void> {
    await changes(
      this.db,
      'INSERT INTO permissions (tool, decision, updated_at) VALUES ($1, $2, $3) ON CONFLICT (tool) DO UPDATE SET decision = excluded.decision, updated_at = excluded.updated_at',
      [tool, decision, new Date().toISOString()],
    );
  }
  /** True when a decision was remembered for the tool (and is now forgotten). */
  async clear(tool: string): Promise<boolean> {
    return (await changes(this.db, 'DELETE FROM permissions WHERE tool = $1', [tool])) > 0;
  }
  list(): Promise<Permission[]> {
    return rows<Permission>(this.db, 'SELECT tool, decision, updated_at FROM permissions ORDER BY tool');
  }
}
