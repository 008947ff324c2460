/**
 * The real services on a temporary HOME as a UiHost, in one of two ways:
 *
 * - by default as the app runs them: in a forked child (the built services entry) behind
 *   RemoteApi (test/helpers/remote-host.ts), so the browser tests cross the same process
 *   boundary, protocol and host calls as the app's utility process;
 * - with STRATA_UI_SERVICES=in-process, in the test process (test/helpers/ui-host.ts), to tell
 *   a failure of the boundary from a failure of the services.
 *
 * Both shapes expose the `test` fields the specs use: api (call, state, idle), events,
 * notifier, pickFolderQueue.
 */
import { createTestHost, type TestHost, type TestHostOptions } from '../helpers/ui-host';
import { createRemoteTestHost, type RemoteTestHost } from '../helpers/remote-host';
import type { UiHost } from './ui-host';

/** What the specs read from the host they were given, whichever way it runs. */
export type RealTestHost = Pick<
  TestHost & RemoteTestHost,
  'home' | 'events' | 'pickFolderQueue' | 'opened' | 'notifier' | 'close'
> & { readonly api: TestHost['api'] | RemoteTestHost['api'] };

/** True unless STRATA_UI_SERVICES=in-process asks for the services in the test process. */
export function servicesInChild(): boolean {
  return process.env.STRATA_UI_SERVICES !== 'in-process';
}

export async function createRealHost(
  o: TestHostOptions = {},
): Promise<UiHost & { readonly test: RealTestHost }> {
  const test: RealTestHost = servicesInChild()
    ? await createRemoteTestHost(o.home !== undefined ? { home: o.home } : {})
    : await createTestHost(o);
  return {
    test,
    invoke: (channel, args) => test.api.invoke(channel, args),
    subscribe: (listener) => test.api.onEvent(listener),
    pickFolderQueue: test.pickFolderQueue as string[],
    close: async () => {
      await test.api.idle();
      await test.close();
    },
  };
}
