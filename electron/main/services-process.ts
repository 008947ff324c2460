/**
 * The services process in the app: Electron's utilityProcess (a Node child that Electron
 * manages, named in the OS task manager and killed with the app) behind the ServicePort that
 * RemoteApi speaks to. The only code that starts it; everything else is plain Node and tested
 * with child_process.fork (services/remote/port.ts).
 */
import { utilityProcess } from 'electron';
import { servicesEnv, type ExitInfo, type ServicePort } from '../services/remote/port';

/** Forks `modulePath` (dist/electron/services/remote/entry.js) as a utility process. */
export function forkServices(modulePath: string): ServicePort {
  const child = utilityProcess.fork(modulePath, [], {
    serviceName: 'Strata services',
    stdio: 'inherit',
    env: servicesEnv(process.env),
  });
  let spawned = false;
  let exited: ExitInfo | undefined;
  // Messages posted before the process has spawned are held and sent in order once it has.
  const early: unknown[] = [];
  child.once('spawn', () => {
    spawned = true;
    for (const msg of early.splice(0)) child.postMessage(msg);
  });
  child.once('exit', (code) => (exited = { code, signal: null }));
  return {
    post(msg) {
      if (exited !== undefined) return;
      if (spawned) child.postMessage(msg);
      else early.push(msg);
    },
    onMessage: (fn) => void child.on('message', (msg: unknown) => fn(msg)),
    onExit(fn) {
      if (exited !== undefined) fn(exited);
      else child.once('exit', (code) => fn({ code, signal: null }));
    },
    kill: () => void child.kill(),
  };
}
