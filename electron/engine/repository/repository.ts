/**
 * An open repository: the master key, the config and the index, over a Backend.
 *
 * Every stored object is sealed; files other than packs are named by the keyed hash of their
 * plaintext and bind that name as associated data, so a renamed or swapped file is detected.
 */
import { hostname, userInfo } from 'node:os';
import { StrataError, isStrataError } from '../../../shared/errors';
import type { Backend } from '../backends/backend';
import { AuthenticationError, open, seal } from '../crypto/aead';
import { generateMasterKey, keyedId, type MasterKey } from '../crypto/master-key';
import { openBlob } from './blob';
import { CONFIG_AAD, newConfig, parseConfig, type RepoConfig } from './config';
import { addKey, unlock } from './keys';
import { MasterIndex } from './master-index';
import { decodeTree, type Tree } from './tree';

export type SealedFileKind = 'snapshots' | 'index' | 'locks' | 'marks' | 'pins';

/** A problem met while loading, named precisely; loading carries on without it. */
export interface LoadProblem {
  readonly kind: string;
  readonly name: string;
  readonly message: string;
}

export interface InitOptions {
  /** scrypt cost as a power of two; lower only for tests. */
  readonly kdfLogN?: number;
}

/** Who is acting, for key files, snapshots and locks. */
export function whoAmI(): { host: string; username: string } {
  let username = 'unknown';
  try {
    username = userInfo().username;
  } catch {
    // No passwd entry (containers): keep 'unknown'.
  }
  return { host: hostname(), username };
}

/** Parsed trees kept for browsing, counted in entries: big folders must not pin much memory. */
const TREE_CACHE_NODES = 50_000;

export class Repository {
  readonly index = new MasterIndex();
  private readonly trees = new Map<string, Tree>();
  private treeNodes = 0;

  private constructor(
    readonly backend: Backend,
    readonly key: MasterKey,
    readonly config: RepoConfig,
    readonly keyId: string,
  ) {}

  /** Creates a repository protected by `password`. */
  static async init(
    backend: Backend,
    password: string,
    options: InitOptions = {},
  ): Promise<Repository> {
    if (password.length === 0) throw new StrataError('INVALID_ARGUMENT', 'the password is empty');
    await backend.create();
    const key = generateMasterKey();
    const config = newConfig();
    const keyId = await addKey(backend, key, password, whoAmI(), options.kdfLogN);
    // The config is written last: a repository without one is not a repository yet.
    const sealed = seal(key.encryption, Buffer.from(JSON.stringify(config)), CONFIG_AAD);
    await backend.write({ kind: 'config', name: 'config' }, sealed);
    return new Repository(backend, key, config, keyId);
  }

  /** Opens a repository; WRONG_PASSWORD when no key fits, REPO_NOT_FOUND when there is none. */
  static async open(backend: Backend, password: string): Promise<Repository> {
    let configBytes: Buffer;
    try {
      configBytes = await backend.read({ kind: 'config', name: 'config' });
    } catch (err) {
      if (isStrataError(err, 'NOT_FOUND')) {
        throw new StrataError(
          'REPO_NOT_FOUND',
          `there is no Strata repository at ${backend.location}. Check the path, or create one with "strata init".`,
        );
      }
      throw err;
    }
    const { master, keyId } = await unlock(backend, password);
    let config: RepoConfig;
    try {
      config = parseConfig(open(master.encryption, configBytes, CONFIG_AAD, 'config'));
    } catch (err) {
      if (err instanceof AuthenticationError) {
        throw new StrataError(
          'REPO_CORRUPT',
          `the repository config at ${backend.location} is damaged: ${err.message}`,
        );
      }
      throw err;
    }
    return new Repository(backend, master, config, keyId);
  }

  /** Seals and stores a metadata file; returns its id (the keyed hash of the plaintext). */
  async saveFile(kind: SealedFileKind, plaintext: Buffer): Promise<string> {
    const id = keyedId(this.key, plaintext);
    const sealed = seal(this.key.encryption, plaintext, `strata:${kind}:${id}`);
    try {
      await this.backend.write({ kind, name: id }, sealed);
    } catch (err) {
      // Same plaintext, same name: the file is already there.
      if (!isStrataError(err, 'ALREADY_EXISTS')) throw err;
    }
    return id;
  }

  /** Reads and opens a metadata file; a damaged one fails with REPO_CORRUPT naming it. */
  async loadFile(kind: SealedFileKind, id: string): Promise<Buffer> {
    const sealed = await this.backend.read({ kind, name: id });
    const what = `${kind === 'snapshots' ? 'snapshot' : kind} file ${id}`;
    try {
      return open(this.key.encryption, sealed, `strata:${kind}:${id}`, what);
    } catch (err) {
      throw new StrataError('REPO_CORRUPT', (err as Error).message);
    }
  }

  /** Index files loaded so far, with the packs each names (prune rewrites them). */
  readonly indexFiles = new Map<string, readonly string[]>();

  /**
   * Loads every index file not loaded yet; damaged ones are skipped and returned as problems.
   * With `marked` (packs a prune marked for deletion), a blob is found in another pack when one
   * holds it; with `excludeMarked` too, marked packs are left out entirely (a backup's view:
   * it must not deduplicate against a pack that a later prune will delete).
   *
   * A prune may replace index files while we read: a file that vanished between listing and
   * reading is followed by a new listing, which holds its replacement.
   */
  async loadIndex(
    options: { marked?: ReadonlySet<string>; excludeMarked?: boolean } = {},
  ): Promise<LoadProblem[]> {
    const { marked, excludeMarked } = options;
    if (marked) this.index.preferOthersTo(marked);
    const skip = marked && excludeMarked ? (pack: string) => marked.has(pack) : undefined;
    const problems: LoadProblem[] = [];
    for (let round = 0; round < 5; round++) {
      let vanished = false;
      for (const { name } of await this.backend.list('index')) {
        if (this.indexFiles.has(name) || problems.some((p) => p.name === name)) continue;
        try {
          const packs = this.index.addIndexFile(await this.loadFile('index', name), skip);
          this.indexFiles.set(name, packs);
        } catch (err) {
          if (isStrataError(err, 'NOT_FOUND')) {
            vanished = true;
            continue;
          }
          if (isStrataError(err) && err.code !== 'REPO_CORRUPT') throw err;
          problems.push({ kind: 'index', name, message: (err as Error).message });
        }
      }
      if (!vanished) break;
    }
    return problems;
  }

  /** Reads one blob through the index and proves it matches its id. */
  async readBlob(id: string): Promise<Buffer> {
    const entry = this.index.get(id);
    if (!entry) throw new StrataError('REPO_CORRUPT', `blob ${id} is not in the index`);
    const handle = { kind: 'data', name: entry.pack } as const;
    const range = { offset: entry.offset, length: entry.length };
    const sealed =
      this.backend.readSmallSync?.(handle, range) ?? (await this.backend.read(handle, range));
    try {
      return openBlob(this.key, id, entry, sealed);
    } catch (err) {
      throw new StrataError('REPO_CORRUPT', (err as Error).message);
    }
  }

  /**
   * Loads and parses a tree blob (cached: trees are read again and again while browsing).
   * `cache: false` for a walk that reads each tree once: a backup's parent trees would
   * otherwise stay in memory, all of them up to the cache's 50,000 nodes, for the whole run.
   */
  async loadTree(id: string, options: { cache?: boolean } = {}): Promise<Tree> {
    const hit = this.trees.get(id);
    if (hit) return hit;
    let tree: Tree;
    try {
      tree = decodeTree(await this.readBlob(id), `tree ${id.slice(0, 12)}`);
    } catch (err) {
      if (isStrataError(err)) throw err;
      throw new StrataError('REPO_CORRUPT', (err as Error).message);
    }
    if (options.cache === false) return tree;
    while (this.treeNodes + tree.nodes.length > TREE_CACHE_NODES && this.trees.size > 0) {
      const [oldest, dropped] = this.trees.entries().next().value as [string, Tree];
      this.trees.delete(oldest);
      this.treeNodes -= dropped.nodes.length;
    }
    this.treeNodes += tree.nodes.length;
    this.trees.set(id, tree);
    return tree;
  }
}
