/** The real services on a temporary HOME (test/helpers/ui-host.ts) as a UiHost. */
import { createTestHost, type TestHost, type TestHostOptions } from '../helpers/ui-host';
import type { UiHost } from './ui-host';

export async function createRealHost(
  o: TestHostOptions = {},
): Promise<UiHost & { readonly test: TestHost }> {
  const test = await createTestHost(o);
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
