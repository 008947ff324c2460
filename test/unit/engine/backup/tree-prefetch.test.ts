import { describe, expect, it } from 'vitest';
import { TreePrefetch } from '../../../../electron/engine/backup/tree-prefetch';
import type { Tree, TreeNode } from '../../../../electron/engine/repository/tree';

const dir = (name: string, subtree: string) => ({ name, type: 'dir', subtree }) as TreeNode;
const file = (name: string) => ({ name, type: 'file', content: [] }) as unknown as TreeNode;
const tree = (...nodes: TreeNode[]): Tree => ({ nodes });

/** A loader that records what it was asked for and answers when told to. */
function loader(trees: Record<string, Tree>) {
  const asked: string[] = [];
  const waiting = new Map<string, () => void>();
  const load = (id: string) => {
    asked.push(id);
    return new Promise<Tree>((resolve, reject) => {
      waiting.set(id, () => (trees[id] ? resolve(trees[id]) : reject(new Error(`no ${id}`))));
    });
  };
  const answer = (id: string) => waiting.get(id)?.();
  return { asked, load, answer, answerAll: () => [...waiting.keys()].forEach(answer) };
}

describe('TreePrefetch', () => {
  it('loads subfolders in the order a depth-first walk takes them, within its window', () => {
    const l = loader({});
    const p = new TreePrefetch(l.load, 2);
    p.enter(tree(dir('a', 'A'), file('f'), dir('b', 'B'), dir('c', 'C')));
    expect(l.asked).toEqual(['A', 'B']); // window of 2: C waits
    void p.take('A');
    expect(l.asked).toEqual(['A', 'B', 'C']);
    // Entering a (taken first) puts its own subfolders ahead of b's siblings.
    p.enter(tree(dir('a1', 'A1')));
    void p.take('B');
    expect(l.asked).toEqual(['A', 'B', 'C', 'A1']);
  });

  it('hands over the early load, and loads directly what it did not start', async () => {
    const A = tree(file('x'));
    const Z = tree(file('z'));
    const l = loader({ A, Z });
    const p = new TreePrefetch(l.load, 4);
    p.enter(tree(dir('a', 'A')));
    l.answerAll();
    await expect(p.take('A')).resolves.toBe(A);
    const direct = p.take('Z'); // never announced
    l.answer('Z');
    await expect(direct).resolves.toBe(Z);
    expect(l.asked).toEqual(['A', 'Z']);
  });

  it('a failed early load is retried by the walk, whose load reports the error', async () => {
    const l = loader({});
    const p = new TreePrefetch(l.load, 4);
    p.enter(tree(dir('a', 'A')));
    l.answer('A'); // rejects: no such tree
    const taken = p.take('A');
    await new Promise((r) => setImmediate(r));
    l.answer('A');
    await expect(taken).rejects.toThrow('no A');
    expect(l.asked).toEqual(['A', 'A']);
  });

  it('leave() frees the window held by subfolders the walk never reached', () => {
    const l = loader({});
    const p = new TreePrefetch(l.load, 2);
    const parent = tree(dir('gone', 'G'), dir('gone2', 'G2'), dir('later', 'L'));
    p.enter(parent);
    expect(l.asked).toEqual(['G', 'G2']);
    // The folders were deleted since: the walk leaves the parent without taking them.
    p.leave(parent);
    p.enter(tree(dir('next', 'N')));
    expect(l.asked).toEqual(['G', 'G2', 'N']); // L was dropped with its folder, N got the room
  });
});
