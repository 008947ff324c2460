import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../electron/services/secrets/memory-store';
import { secretStoreContract } from './store-contract';

describe('MemoryStore', () => {
  const store = new MemoryStore();
  secretStoreContract(() => store);

  it('forgets everything on clear()', async () => {
    const key = { kind: 'repository-password', destinationId: 'nas' } as const;
    await store.set(key, 'pw');
    store.clear();
    expect(await store.get(key)).toBeUndefined();
  });

  it('keeps separate sessions apart', async () => {
    const key = { kind: 'repository-password', destinationId: 'nas' } as const;
    const a = new MemoryStore();
    await a.set(key, 'pw');
    expect(await new MemoryStore().get(key)).toBeUndefined();
  });
});
