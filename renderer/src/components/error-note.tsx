/** An error shown where it happened: what went wrong and what to do next. */
import type { ReactNode } from 'react';
import type { ShownError } from '../api';

export function ErrorNote(props: { readonly error: ShownError | null; readonly title?: string }) {
  const { error, title } = props;
  if (!error) return null;
  return (
    <div className="error-note" role="alert">
      {title ? <strong>{title} </strong> : null}
      <span>{error.message}</span>
      {error.action ? <p className="error-action">{error.action}</p> : null}
    </div>
  );
}

export function Notice(props: { readonly children: ReactNode; readonly tone?: 'info' | 'warn' }) {
  return (
    <div className={`notice notice-${props.tone ?? 'info'}`} role="status">
      {props.children}
    </div>
  );
}
