/** Settings: start at login, how much to be told, and the theme (following the OS by default). */
import { useState } from 'react';
import type { Settings as SettingsData } from '../../../../shared/contract';
import { api, toShownError, type ShownError } from '../../api';
import { ErrorNote } from '../../components';
import { useStore } from '../../store';

const NOTIFY = [
  { id: 'all', label: 'Everything, also each successful backup' },
  { id: 'problems', label: 'Only problems: failures, warnings, overdue backups, drives' },
  { id: 'none', label: 'Nothing (the tray icon still shows problems)' },
] as const;
const THEMES = [
  { id: 'system', label: 'Follow the system' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
] as const;

export function Settings() {
  const settings = useStore((s) => s.app?.settings);
  const load = useStore((s) => s.load);
  const [error, setError] = useState<ShownError | null>(null);
  // Shown at once, before main confirms: a control must not spring back while it saves.
  const [pending, setPending] = useState<Partial<SettingsData>>({});
  if (!settings) return null;
  const shown: SettingsData = { ...settings, ...pending };

  const save = async (patch: Partial<SettingsData>): Promise<void> => {
    setPending((p) => ({ ...p, ...patch }));
    try {
      await api().settings.set(patch);
      setError(null);
      await load();
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setPending({});
    }
  };

  return (
    <div className="settings">
      <h1>Settings</h1>
      <label className="check">
        <input
          type="checkbox"
          checked={shown.startAtLogin}
          onChange={(e) => void save({ startAtLogin: e.target.checked })}
        />
        <span>Start Strata when I log in (scheduled backups need it running)</span>
      </label>
      <fieldset>
        <legend>Notifications</legend>
        {NOTIFY.map((n) => (
          <label key={n.id} className="check">
            <input
              type="radio"
              name="notifications"
              checked={shown.notifications === n.id}
              onChange={() => void save({ notifications: n.id })}
            />
            <span>{n.label}</span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Appearance</legend>
        {THEMES.map((t) => (
          <label key={t.id} className="check">
            <input
              type="radio"
              name="theme"
              checked={shown.theme === t.id}
              onChange={() => void save({ theme: t.id })}
            />
            <span>{t.label}</span>
          </label>
        ))}
      </fieldset>
      <ErrorNote error={error} title="The setting was not saved." />
    </div>
  );
}
