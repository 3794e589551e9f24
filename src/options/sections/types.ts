/** What the settings sections are given: the settings, and how to change them. */
import type { Settings } from '../../core/extension-state.js';

/** Saves a change to the settings (`ui/settings-set`) and resolves to the settings as stored. */
type Update = (patch: Partial<Settings>) => Promise<Settings>;

export interface SettingsProps {
  settings: Settings;
  update: Update;
}
