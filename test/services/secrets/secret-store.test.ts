import { describe, expect, it } from 'vitest';
import {
  accountName,
  describeSecret,
  redact,
} from '../../../electron/services/secrets/secret-store';

describe('account names', () => {
  it('name the secret and contain nothing else', () => {
    expect(accountName({ kind: 'repository-password', destinationId: 'nas' })).toBe(
      'repository-password/nas',
    );
    expect(
      accountName({ kind: 'backend-credential', destinationId: 'nas', name: 's3-secret-key' }),
    ).toBe('backend-credential/nas/s3-secret-key');
    expect(
      accountName({
        kind: 'repository-password',
        destinationId: '0b9f3c1e-5a7d-4c2b-9e8f-1a2b3c4d5e6f',
      }),
    ).toBe('repository-password/0b9f3c1e-5a7d-4c2b-9e8f-1a2b3c4d5e6f');
  });

  it.each(['', 'a/b', '../x', 'with space', 'x'.repeat(129), '-leading-dash', 'ünïcode'])(
    'refuses the destination id %j without echoing it',
    (destinationId) => {
      let message = '';
      try {
        accountName({ kind: 'repository-password', destinationId });
      } catch (err) {
        expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
        message = (err as Error).message;
      }
      expect(message).toMatch(/destination id must be 1 to 128/);
      if (destinationId !== '') expect(message).not.toContain(destinationId);
    },
  );

  it('refuses credential names that could split differently', () => {
    expect(() =>
      accountName({ kind: 'backend-credential', destinationId: 'nas', name: 'a/b' }),
    ).toThrow(/credential name must be/);
  });

  it('are described in words for messages', () => {
    expect(describeSecret({ kind: 'repository-password', destinationId: 'nas' })).toBe(
      'the repository password of destination "nas"',
    );
    expect(
      describeSecret({ kind: 'backend-credential', destinationId: 'nas', name: 'sftp-password' }),
    ).toBe('the credential "sftp-password" of destination "nas"');
  });
});

describe('redact', () => {
  it('removes every occurrence of the secret', () => {
    expect(redact('bad value s3cr3t, s3cr3t again', 's3cr3t')).toBe(
      'bad value [redacted], [redacted] again',
    );
    expect(redact('nothing to hide', '')).toBe('nothing to hide');
    expect(redact('nothing to hide', undefined)).toBe('nothing to hide');
  });
});
