import type { Logger } from 'pino';
import type { ExtensionSettings } from '../extensions/extension-settings.js';
import { SETTINGS_CHANNEL, type SharedStore } from '../store/shared-store.js';

/**
 * Several instances on one database: an extension added, changed or removed on one is brought in
 * line on every other as soon as the database notifies the change (providers and remembered
 * permissions need nothing: they are read from the database at each use). Returns the way to stop.
 */
export function watchSharedSettings(store: Pick<SharedStore, 'notifications'>, extensions: ExtensionSettings, logger: Logger): Promise<() => Promise<void>> {
  // One sync at a time, in order: two changes in a row must not interleave their starts and stops.
  let syncing = Promise.resolve();
  const sync = () => {
    syncing = syncing
      .then(() => extensions.syncFromStore())
      .catch((error: unknown) => logger.warn({ err: error }, 'reloading the extensions another instance changed failed'));
  };
  // After a lost connection the news in between is gone: read them all again.
  return store.notifications.subscribe(SETTINGS_CHANNEL, (table) => table === 'extensions' && sync(), sync);
}
