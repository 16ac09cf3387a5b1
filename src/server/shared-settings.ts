import type { Logger } from 'pino';
import { SettingsPatch } from '../api/settings.js';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { ExtensionSettings } from '../extensions/extension-settings.js';
import { SETTINGS_CHANNEL, type SharedStore } from '../store/shared-store.js';

/** The kv key of the settings changed through PATCH /api/config on any instance (a JSON patch, accumulated). */
export const SHARED_SETTINGS_KEY = 'settings';

export interface SharedSettingsParts {
  store: Pick<SharedStore, 'notifications' | 'getValue' | 'mergeValue'>;
  settings: RuntimeSettings;
  extensions: ExtensionSettings;
  logger: Logger;
}

/**
 * Several instances on one database: a setting changed on one (PATCH /api/config) and an extension
 * added, changed or removed there are brought in line on every other as soon as the database
 * notifies the change (providers and remembered permissions need nothing: they are read from the
 * database at each use). The settings stored there win over each instance's config file at start.
 * Returns the way to stop.
 */
export async function watchSharedSettings({ store, settings, extensions, logger }: SharedSettingsParts): Promise<() => Promise<void>> {
  const warn = (what: string) => (error: unknown) => logger.warn({ err: error }, `${what} failed`);
  // Every write to kv notifies (learned model windows, the current provider too): only a new value is applied.
  let applied: string | null = null;
  const readSettings = async () => {
    const stored = await store.getValue(SHARED_SETTINGS_KEY);
    if (stored === applied) return;
    applied = stored;
    const patch = stored === null ? null : SettingsPatch.safeParse(JSON.parse(stored));
    // A value written by another version of goosed, or by hand: each instance keeps its own file's.
    if (patch?.success) settings.apply(patch.data);
  };
  // One sync at a time, in order: two changes in a row must not interleave their starts and stops.
  let syncing = Promise.resolve();
  const sync = (work: () => Promise<void>, what: string) => {
    syncing = syncing.then(work).catch(warn(what));
  };
  const onTable = (table: string) => {
    if (table === 'extensions') sync(() => extensions.syncFromStore(), 'reloading the extensions another instance changed');
    if (table === 'kv') sync(readSettings, 'reading the settings another instance changed');
  };
  settings.onPatch((patch) => {
    sync(() => store.mergeValue(SHARED_SETTINGS_KEY, patch), 'sharing a settings change with the other instances');
  });
  await readSettings();
  // After a lost connection the news in between is gone: read everything again.
  return store.notifications.subscribe(SETTINGS_CHANNEL, onTable, () => {
    onTable('extensions');
    onTable('kv');
  });
}
