import type Database from 'better-sqlite3';
import type { Permission, PermissionDecision } from '../../api/permissions.js';
import type { ExtensionRecord, ProviderRecord } from '../store.js';

// Server-wide configuration rows: providers (with their keys), extensions, remembered permissions.

type ExtensionRow = Omit<ExtensionRecord, 'config' | 'enabled'> & { config: string; enabled: number };

export class ProviderTable {
  private readonly list_;
  private readonly get_;
  private readonly save_;
  private readonly delete_;
  constructor(db: Database.Database) {
    const columns = 'name, api_key, model, base_url, context_limit, output_limit, updated_at';
    this.list_ = db.prepare(`SELECT ${columns} FROM providers ORDER BY name`);
    this.get_ = db.prepare(`SELECT ${columns} FROM providers WHERE name = ?`);
    this.save_ = db.prepare(
      `INSERT INTO providers (${columns}) VALUES (@name, @api_key, @model, @base_url, @context_limit, @output_limit, @updated_at)
       ON CONFLICT (name) DO UPDATE SET api_key = excluded.api_key, model = excluded.model, base_url = excluded.base_url,
         context_limit = excluded.context_limit, output_limit = excluded.output_limit, updated_at = excluded.updated_at`,
    );
    this.delete_ = db.prepare('DELETE FROM providers WHERE name = ?');
  }
  async list(): Promise<ProviderRecord[]> {
    return this.list_.all() as ProviderRecord[];
  }
  async get(name: string): Promise<ProviderRecord | null> {
    return (this.get_.get(name) as ProviderRecord | undefined) ?? null;
  }
  async save(record: ProviderRecord): Promise<void> {
    this.save_.run(record);
  }
  async delete(name: string): Promise<boolean> {
    return this.delete_.run(name).changes > 0;
  }
}

const EXTENSION_COLUMNS = 'id, name, type, config, enabled, created_at, session_id';

export class ExtensionTable {
  private readonly list_;
  private readonly listOfSession_;
  private readonly get_;
  private readonly insert_;
  private readonly update_;
  private readonly delete_;
  constructor(db: Database.Database) {
    this.list_ = db.prepare(`SELECT ${EXTENSION_COLUMNS} FROM extensions WHERE session_id IS NULL ORDER BY created_at, name`);
    this.listOfSession_ = db.prepare(`SELECT ${EXTENSION_COLUMNS} FROM extensions WHERE session_id = ? ORDER BY created_at, name`);
    this.get_ = db.prepare(`SELECT ${EXTENSION_COLUMNS} FROM extensions WHERE id = ? OR (session_id IS NULL AND name = ?)`);
    this.insert_ = db.prepare(
      `INSERT INTO extensions (${EXTENSION_COLUMNS}) VALUES (@id, @name, @type, @config, @enabled, @created_at, @session_id)`,
    );
    this.update_ = db.prepare('UPDATE extensions SET config = @config, enabled = @enabled WHERE id = @id');
    this.delete_ = db.prepare('DELETE FROM extensions WHERE id = ?');
  }
  /** The server-wide extensions, or with `sessionId` that session's own. */
  async list(sessionId?: string): Promise<ExtensionRecord[]> {
    const rows = (sessionId === undefined ? this.list_.all() : this.listOfSession_.all(sessionId)) as ExtensionRow[];
    return rows.map(toExtension);
  }
  /** By id, or by name among the server-wide ones (unique there, and what people type). */
  async get(idOrName: string): Promise<ExtensionRecord | null> {
    const row = this.get_.get(idOrName, idOrName) as ExtensionRow | undefined;
    return row ? toExtension(row) : null;
  }
  async insert(record: ExtensionRecord): Promise<void> {
    this.insert_.run({ ...record, config: JSON.stringify(record.config), enabled: record.enabled ? 1 : 0 });
  }
  async update(record: ExtensionRecord): Promise<void> {
    this.update_.run({ id: record.id, config: JSON.stringify(record.config), enabled: record.enabled ? 1 : 0 });
  }
  async delete(id: string): Promise<boolean> {
    return this.delete_.run(id).changes > 0;
  }
}

function toExtension(row: ExtensionRow): ExtensionRecord {
  return { ...row, config: JSON.parse(row.config), enabled: row.enabled === 1 };
}

export class PermissionTable {
  private readonly get_;
  private readonly set_;
  private readonly list_;
  private readonly clear_;
  constructor(db: Database.Database) {
    this.get_ = db.prepare('SELECT decision FROM permissions WHERE tool = ?').pluck();
    this.set_ = db.prepare(
      'INSERT INTO permissions (tool, decision, updated_at) VALUES (?, ?, ?) ON CONFLICT (tool) DO UPDATE SET decision = excluded.decision, updated_at = excluded.updated_at',
    );
    this.list_ = db.prepare('SELECT tool, decision, updated_at FROM permissions ORDER BY tool');
    this.clear_ = db.prepare('DELETE FROM permissions WHERE tool = ?');
  }
  async get(tool: string): Promise<PermissionDecision | null> {
    return (this.get_.get(tool) as PermissionDecision | undefined) ?? null;
  }
  async set(tool: string, decision: PermissionDecision): Promise<void> {
    this.set_.run(tool, decision, new Date().toISOString());
  }
  /** True when a decision was remembered for the tool (and is now forgotten). */
  async clear(tool: string): Promise<boolean> {
    return this.clear_.run(tool).changes > 0;
  }
  async list(): Promise<Permission[]> {
    return this.list_.all() as Permission[];
  }
}
