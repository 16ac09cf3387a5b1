import { defaultSettings, type Settings, type SettingsPatch } from '../api/settings.js';
import { updateConfigFile } from './config-file.js';

type Listener = (settings: Settings) => void;

/** The run-time settings: read at start, changed by `PATCH /api/config`, saved to the config file. */
export class RuntimeSettings {
  private current: Settings;
  private readonly listeners: Listener[] = [];
  private readonly patchListeners: ((patch: SettingsPatch) => void)[] = [];

  constructor(
    initial: Partial<Settings>,
    private readonly configFile: string | null,
  ) {
    this.current = { ...defaultSettings, ...initial };
  }

  get(): Settings {
    return this.current;
  }

  /** Applies a validated patch and persists it; the file keeps its other keys and its comments. */
  update(patch: SettingsPatch): Settings {
    const next = { ...this.current, ...patch };
    if (this.configFile) updateConfigFile(this.configFile, patch);
    this.current = next;
    for (const listener of this.listeners) listener(next);
    for (const listener of this.patchListeners) listener(patch);
    return next;
  }

  /** Settings changed elsewhere (another instance on the same database): in force here, the file untouched. */
  apply(patch: SettingsPatch): Settings {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener(this.current);
    return this.current;
  }

  /** Called with each patch PATCH /api/config makes here (not with what apply() brings). */
  onPatch(listener: (patch: SettingsPatch) => void): void {
    this.patchListeners.push(listener);
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }
}
