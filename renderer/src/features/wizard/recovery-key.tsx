/**
 * Shown once after the wizard creates a backup: the recovery key, a second way to open it. Strata
 * keeps it nowhere, so this is the only time it can be seen; the user prints or writes it down.
 */
import { useEffect, useRef } from 'react';

export function RecoveryKey(props: { readonly value: string; readonly onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="recovery-key" aria-labelledby="recovery-key-title">
      <h1 id="recovery-key-title" ref={heading} tabIndex={-1}>
        Save your recovery key
      </h1>
      <p>
        This key opens the backup if the password is ever lost: type it where Strata asks for the
        password. Print it or write it down and keep it away from this computer. Strata does not
        keep a copy — this is the only time it is shown.
      </p>
      <output className="key-box" aria-label="Recovery key">
        {props.value}
      </output>
      <div className="wizard-nav">
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
        <span className="spacer" />
        <button type="button" className="primary" onClick={props.onDone}>
          I have saved it
        </button>
      </div>
    </section>
  );
}
