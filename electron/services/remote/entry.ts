/**
 * The services process's entry (compiled to dist/electron/services/remote/entry.js). It runs
 * under Electron's utilityProcess in the app and under Node's child_process.fork in tests and
 * plain-Node hosts, and speaks the same protocol (serve.ts) over whichever link it was given:
 * Electron's `process.parentPort` (messages arrive as `{ data }`), else Node's IPC channel
 * (`process.on('message')` / `process.send`). Never imports Electron: the utility process's
 * parentPort is a property of `process`, read by shape.
 */
import type { ToParent } from './protocol';
import { serve, type ParentLink } from './serve';

/** Electron's `process.parentPort`, as much of it as we use. */
interface ElectronParentPort {
  on(event: 'message', fn: (e: { data: unknown }) => void): void;
  postMessage(msg: unknown): void;
}

/** After the last message is posted, how long the utility process waits before exiting. */
const FLUSH_MS = 50;

function electronLink(port: ElectronParentPort): ParentLink {
  return {
    post: (msg: ToParent) => port.postMessage(msg),
    onMessage: (fn) => port.on('message', (e) => fn(e.data)),
    // Electron kills a utility process when its parent exits: nothing to watch.
    onDisconnect: () => undefined,
    exit: (code) => void setTimeout(() => process.exit(code), FLUSH_MS),
  };
}

function nodeLink(): ParentLink {
  const send = process.send!.bind(process);
  // Sends go out in order: once the last one's callback ran, everything before it is out.
  let last: Promise<unknown> = Promise.resolve();
  return {
    post: (msg: ToParent) => {
      if (!process.connected) return;
      last = new Promise((done) => send(msg, undefined, undefined, done));
    },
    onMessage: (fn) => process.on('message', (m) => fn(m)),
    onDisconnect: (fn) => process.once('disconnect', fn),
    exit: (code) => void last.then(() => process.exit(code)),
  };
}

const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
if (parentPort !== undefined) {
  serve(electronLink(parentPort));
} else if (typeof process.send === 'function') {
  serve(nodeLink());
} else {
  console.error('strata services: start me with utilityProcess.fork or child_process.fork');
  process.exitCode = 2;
}
