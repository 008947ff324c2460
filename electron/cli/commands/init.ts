import { Repository } from '../../engine/repository/repository';
import { backendFor, emitJson, flag, parse, password, repoLocation, say, str } from '../context';
import type { Command } from './command';

export const init: Command = {
  name: 'init',
  summary: 'create a new encrypted repository',
  usage: 'strata init --repo PATH [--kdf-log-n N]',
  async run(args) {
    const p = parse(args, { 'kdf-log-n': { type: 'string' } });
    const location = repoLocation(p);
    const logN = str(p, 'kdf-log-n');
    const pw = await password(p, 'Password for the new repository: ', true);
    const repo = await Repository.init(backendFor(location), pw, {
      kdfLogN: logN ? Number(logN) : undefined,
    });
    if (flag(p, 'json'))
      emitJson({ id: repo.config.id, location: repo.backend.location, key: repo.keyId });
    else {
      say(p, `created repository ${repo.config.id.slice(0, 8)} at ${repo.backend.location}`);
      say(p, 'Keep the password safe: without it nobody, including you, can read these backups.');
    }
    return 0;
  },
};
