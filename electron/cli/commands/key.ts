import { StrataError } from '../../../shared/errors';
import { addKey, listKeys } from '../../engine/repository/keys';
import { whoAmI } from '../../engine/repository/repository';
import { getPassword } from '../password';
import { emitJson, flag, openRepo, parse, say, str } from '../context';
import { formatTime, table } from '../format';
import type { Command } from './command';

const usage = `strata key list
strata key add [--new-password-file FILE]
strata key remove KEY_ID
strata key passwd [--new-password-file FILE]`;

export const key: Command = {
  name: 'key',
  summary: 'manage the passwords that open the repository',
  usage,
  details:
    'Several passwords can open one repository; the last one cannot be removed. The new password comes from --new-password-file, STRATA_NEW_PASSWORD or a prompt.',
  async run(args) {
    const [sub, ...rest] = args;
    const p = parse(rest, {
      'new-password-file': { type: 'string' },
      'kdf-log-n': { type: 'string' },
    });
    const repo = await openRepo(p);
    const newPassword = () =>
      getPassword({
        file: str(p, 'new-password-file'),
        envName: 'STRATA_NEW_PASSWORD',
        prompt: 'New password: ',
        confirm: true,
      });
    const logN = str(p, 'kdf-log-n') ? Number(str(p, 'kdf-log-n')) : undefined;
    switch (sub) {
      case 'list': {
        const keys = await listKeys(repo.backend, repo.key);
        if (flag(p, 'json')) emitJson(keys.map((k) => ({ ...k, current: k.id === repo.keyId })));
        else
          say(
            p,
            table([
              [' ', 'ID', 'User', 'Host', 'Created'],
              ...keys.map((k) => [
                k.id === repo.keyId ? '*' : ' ',
                k.id.slice(0, 8),
                k.username,
                k.host,
                k.created ? formatTime(k.created) : '',
              ]),
            ]),
          );
        return 0;
      }
      case 'add': {
        const id = await addKey(repo.backend, repo.key, await newPassword(), whoAmI(), logN);
        if (flag(p, 'json')) emitJson({ id });
        else say(p, `added key ${id.slice(0, 8)}`);
        return 0;
      }
      case 'remove': {
        const ref = p.positionals[0];
        if (!ref)
          throw new StrataError(
            'INVALID_ARGUMENT',
            'give the id of the key to remove (see strata key list)',
          );
        const keys = await listKeys(repo.backend, repo.key);
        const matches = keys.filter((k) => k.id.startsWith(ref));
        if (matches.length !== 1) {
          throw new StrataError(
            matches.length ? 'AMBIGUOUS_ID' : 'NOT_FOUND',
            `${matches.length ? 'several keys' : 'no key'} match ${ref}`,
          );
        }
        const victim = matches[0]!;
        if (keys.length === 1)
          throw new StrataError(
            'LAST_KEY',
            'refusing to remove the last key: the repository could never be opened again',
          );
        if (victim.id === repo.keyId) {
          throw new StrataError(
            'KEY_IN_USE',
            'refusing to remove the key you opened the repository with; open it with another password to remove this one',
          );
        }
        await repo.backend.remove({ kind: 'keys', name: victim.id });
        if (flag(p, 'json')) emitJson({ removed: victim.id });
        else say(p, `removed key ${victim.id.slice(0, 8)}`);
        return 0;
      }
      case 'passwd': {
        // Add the new key first: a crash in between leaves two working keys, never none.
        const id = await addKey(repo.backend, repo.key, await newPassword(), whoAmI(), logN);
        await repo.backend.remove({ kind: 'keys', name: repo.keyId });
        if (flag(p, 'json')) emitJson({ id, removed: repo.keyId });
        else say(p, `password changed (new key ${id.slice(0, 8)})`);
        return 0;
      }
      default:
        throw new StrataError('INVALID_ARGUMENT', `usage:\n${usage}`);
    }
  },
};
