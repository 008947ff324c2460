/**
 * The connect screen's two forms (display only; the screen owns the state): the password of
 * the existing backup, with a wrong one said in place, and what it holds with the folders on
 * this computer to back up to it later.
 */
import type { RepositoryContents } from '../../../../shared/contract';
import { RepositorySummary } from './repository-summary';

const WRONG_PASSWORD =
  'This password does not open the backup. Type it again: it is the one chosen when the backup was created, and letters are case-sensitive. Nothing was changed.';

/** The password step; Enter submits. */
export function UnlockForm(props: {
  readonly password: string;
  readonly wrong: boolean;
  readonly remember: boolean;
  readonly keychainAvailable: boolean;
  readonly onPassword: (value: string) => void;
  readonly onRemember: (value: boolean) => void;
  readonly onSubmit: () => void;
}) {
  return (
    <section aria-labelledby="connect-password">
      <h2 id="connect-password">Unlock the backup</h2>
      <p className="hint">Type the password this backup was created with (or its recovery key).</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (props.password) props.onSubmit();
        }}
      >
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            autoComplete="current-password"
            value={props.password}
            onChange={(e) => props.onPassword(e.target.value)}
            aria-invalid={props.wrong}
            aria-describedby="connect-password-error"
          />
        </label>
        <p id="connect-password-error" className="field-error" role="alert">
          {props.wrong ? WRONG_PASSWORD : ''}
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={props.remember && props.keychainAvailable}
            disabled={!props.keychainAvailable}
            onChange={(e) => props.onRemember(e.target.checked)}
          />
          <span>Remember the password in this computer’s keychain</span>
        </label>
      </form>
    </section>
  );
}

/** What the backup holds, its name here, and the folders to back up to it. */
export function ContentsForm(props: {
  readonly contents: RepositoryContents;
  /** When the contents were read, for "2 days ago". */
  readonly readAt: number;
  readonly name: string;
  readonly sources: readonly string[];
  readonly onName: (value: string) => void;
  readonly onSources: (value: readonly string[]) => void;
  readonly onAddFolder: () => void;
}) {
  const { contents, sources } = props;
  // The folders found here first (ticked by default), then any the user added.
  const offered = [...new Set([...contents.newestPaths.here, ...sources])];
  return (
    <section aria-labelledby="connect-contents">
      <h2 id="connect-contents">What this backup holds</h2>
      <RepositorySummary contents={contents} now={props.readAt} />
      <label className="field">
        <span>Name of this backup</span>
        <input value={props.name} onChange={(e) => props.onName(e.target.value)} />
      </label>
      <fieldset>
        <legend>Folders on this computer to back up to it later</legend>
        {offered.map((p) => (
          <label key={p} className="check">
            <input
              type="checkbox"
              checked={sources.includes(p)}
              onChange={(e) =>
                props.onSources(e.target.checked ? [...sources, p] : sources.filter((x) => x !== p))
              }
            />
            <span className="path">{p}</span>
          </label>
        ))}
        {contents.newestPaths.missing.map((p) => (
          <p key={p} className="hint">
            <span className="path">{p}</span> is not on this computer: restore it from the timeline,
            or choose where it lives here.
          </p>
        ))}
        <button type="button" onClick={props.onAddFolder}>
          Add a folder…
        </button>
      </fieldset>
      <p className="hint">
        Strata backs up only when you ask until you choose a schedule (Edit on the dashboard), and
        it keeps every snapshot already in the backup.
      </p>
    </section>
  );
}
