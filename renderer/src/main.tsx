/** Entry: render the shell, load the state, follow pushed events. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { toShownError } from './api';
import { startSync, useStore } from './store';
import './styles.css';

try {
  startSync();
} catch (err) {
  // Opened outside Strata (no bridge): say so on the page instead of a blank window.
  useStore.setState({ loadError: toShownError(err) });
}
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
