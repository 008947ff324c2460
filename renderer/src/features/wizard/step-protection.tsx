/**
 * Step 3: the password. A new backup asks twice with a strength meter; an existing one asks once.
 * A new backup also gets a recovery key, shown once after it is created (recovery-key.tsx).
 */
import { useStore } from '../../store';
import { estimateStrength } from './strength';
import { useWizard } from './wizard-store';

export function StepProtection() {
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  const keychain = useStore((s) => s.app?.keychain);
  const existing = draft.check?.repository === true;
  const strength = estimateStrength(draft.password);
  const mismatch = !existing && draft.confirm !== '' && draft.confirm !== draft.password;

  return (
    <section aria-labelledby="step-protection">
      <h2 id="step-protection">
        {existing ? 'Unlock the existing backup' : 'Protect your backup with a password'}
      </h2>
      <p className="hint">
        {existing
          ? 'Type the password this backup was created with.'
          : 'Everything is encrypted on this computer before it is written. Without the password nobody can read the backup — not even you.'}
      </p>
      <label className="field">
        <span>Password</span>
        <input
          type="password"
          autoComplete="new-password"
          value={draft.password}
          onChange={(e) => update({ password: e.target.value })}
          aria-describedby="strength"
        />
      </label>
      {existing ? null : (
        <>
          <div id="strength" className="strength" aria-live="polite">
            <meter min={0} max={4} low={2} high={3} optimum={4} value={strength.score}>
              {strength.label}
            </meter>
            <span>
              {strength.label}. {strength.hint}
            </span>
          </div>
          <label className="field">
            <span>Password again</span>
            <input
              type="password"
              autoComplete="new-password"
              value={draft.confirm}
              onChange={(e) => update({ confirm: e.target.value })}
              aria-invalid={mismatch}
              aria-describedby="confirm-error"
            />
          </label>
          <p id="confirm-error" className="field-error" role="status">
            {mismatch ? 'The two passwords differ. Type the same password twice.' : ''}
          </p>
        </>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={draft.remember && keychain?.available !== false}
          disabled={keychain?.available === false}
          onChange={(e) => update({ remember: e.target.checked })}
        />
        <span>Remember the password in this computer’s keychain</span>
      </label>
      {keychain?.available === false ? (
        <p className="hint">
          The keychain cannot be used: {keychain.reason ?? 'it is locked or missing'}. Strata will
          keep the password in memory until it quits and ask again after that.
        </p>
      ) : null}
      {existing ? null : (
        <div className="recovery" aria-labelledby="recovery-title">
          <h3 id="recovery-title">Keep a way back in</h3>
          <p>
            If you lose this password, the backup cannot be opened — there is no reset. Keep it in a
            password manager or somewhere safe away from this computer. To restore on a new computer
            you need only the backup drive and this password.
          </p>
          <p>
            When the backup is created, Strata also shows a <strong>recovery key</strong>: a second,
            random key that opens it if the password is lost. Print it or write it down; Strata
            keeps no copy and shows it only once.
          </p>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.savedPassword}
              onChange={(e) => update({ savedPassword: e.target.checked })}
            />
            <span>I have kept the password somewhere safe</span>
          </label>
        </div>
      )}
    </section>
  );
}
