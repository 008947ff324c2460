/**
 * Catches a screen that fails to render and says so in place, with a way back, instead of a
 * blank window (the rest of the app keeps working).
 */
import { Component, type ReactNode } from 'react';

interface Props {
  readonly children: ReactNode;
  readonly onReset: () => void;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error-note" role="alert">
        <strong>This screen stopped working. </strong>
        {this.state.error.message}
        <p className="error-action">
          Your backups are not affected.{' '}
          <button
            type="button"
            onClick={() => {
              this.setState({ error: null });
              this.props.onReset();
            }}
          >
            Back to Backups
          </button>
        </p>
      </div>
    );
  }
}
