/** The header: screens, pause all, and the one state over all jobs (as the tray shows it). */
import { api } from '../api';
import { useStore } from '../store';

const TRAY_WORDS = {
  idle: 'All backups up to date',
  running: 'Backing up…',
  paused: 'Paused',
  warning: 'Some backups have warnings',
  error: 'A backup is failing',
  overdue: 'A backup is overdue',
} as const;

export function Nav() {
  const screen = useStore((s) => s.route.screen);
  const go = useStore((s) => s.go);
  const tray = useStore((s) => s.app?.tray);
  const paused = useStore((s) => s.app?.pauseAll.paused ?? false);
  const hasJobs = useStore((s) => (s.app?.jobs.length ?? 0) > 0);
  const load = useStore((s) => s.load);

  const tab = (id: 'dashboard' | 'timeline' | 'settings', label: string) => (
    <button
      type="button"
      className="tab"
      aria-current={screen === id ? 'page' : undefined}
      onClick={() => go(id === 'timeline' ? { screen: 'timeline' } : { screen: id })}
    >
      {label}
    </button>
  );

  return (
    <header className="top">
      <span className="brand">Strata</span>
      <nav aria-label="Screens" className="tabs">
        {tab('dashboard', 'Backups')}
        {tab('timeline', 'Timeline')}
        {tab('settings', 'Settings')}
      </nav>
      <span className="spacer" />
      {tray && hasJobs ? (
        <span className={`tray tray-${tray}`} role="status">
          {TRAY_WORDS[tray]}
        </span>
      ) : null}
      {hasJobs ? (
        <button
          type="button"
          onClick={() =>
            void (paused ? api().jobs.resumeAll() : api().jobs.pauseAll()).then(() => load())
          }
        >
          {paused ? 'Resume all' : 'Pause all'}
        </button>
      ) : null}
    </header>
  );
}
