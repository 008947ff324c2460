/**
 * The shell: a header with the screens, the pause-all switch and the overall state, and the
 * current screen. The theme setting is applied here (the CSS follows the OS when it is "system").
 */
import { useEffect } from 'react';
import { ErrorNote } from '../components';
import { Connect } from '../features/connect/connect';
import { Dashboard } from '../features/dashboard/dashboard';
import { Restore } from '../features/restore/restore';
import { Settings } from '../features/settings/settings';
import { Timeline } from '../features/timeline/timeline';
import { Wizard } from '../features/wizard/wizard';
import { useStore, type Route } from '../store';
import { ErrorBoundary } from './error-boundary';
import { Nav } from './nav';

export function App() {
  const route = useStore((s) => s.route);
  const loaded = useStore((s) => s.app !== null);
  const loadError = useStore((s) => s.loadError);
  const theme = useStore((s) => s.app?.settings.theme ?? 'system');
  const go = useStore((s) => s.go);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Nav />
      <main id="main" tabIndex={-1}>
        <ErrorNote error={loadError} title="Strata could not load its state." />
        {loaded ? (
          <ErrorBoundary key={route.screen} onReset={() => go({ screen: 'dashboard' })}>
            <Screen route={route} />
          </ErrorBoundary>
        ) : loadError ? null : (
          <p className="hint">Loading…</p>
        )}
      </main>
    </>
  );
}

function Screen(props: { readonly route: Route }) {
  const r = props.route;
  switch (r.screen) {
    case 'dashboard':
      return <Dashboard />;
    case 'wizard':
      return <Wizard intent={r.intent} {...('jobId' in r ? { jobId: r.jobId } : {})} />;
    case 'connect':
      return <Connect {...(r.path !== undefined ? { path: r.path } : {})} />;
    case 'timeline':
      return <Timeline key={r.jobId ?? ''} jobId={r.jobId} />;
    case 'restore':
      return <Restore restore={r.restore} />;
    case 'settings':
      return <Settings />;
  }
}
