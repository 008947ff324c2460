/**
 * Tree node metadata from lstat. What is kept: type, mode (permissions, setuid/setgid/sticky),
 * uid/gid, mtime/ctime in nanoseconds, inode, device and link count (for hardlinks), device
 * numbers. Access times are left out on purpose, as Borg does: every read changes them, so
 * recording them would make every tree differ from the last. Not kept yet (the format document
 * says so): extended attributes, ACLs, file flags, Windows attributes.
 */
import type { BigIntStats } from 'node:fs';
import type { NodeType, TreeNode } from '../repository/tree';

export function nodeType(st: BigIntStats): NodeType {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'chardev';
  return 'blockdev';
}

type Meta = Omit<TreeNode, 'content' | 'subtree' | 'target' | 'size' | 'changed'>;

export function metaFromStat(name: string, st: BigIntStats): Meta {
  const type = nodeType(st);
  const meta: Meta = {
    name,
    type,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    mtime: st.mtimeNs.toString(),
    ctime: st.ctimeNs.toString(),
    inode: st.ino.toString(),
    dev: st.dev.toString(),
    links: Number(st.nlink),
  };
  return type === 'chardev' || type === 'blockdev' ? { ...meta, rdev: st.rdev.toString() } : meta;
}

/**
 * Whether `old` already says everything `metaFromStat(old.name, st)` would, times and inode
 * included: then the walk keeps the old node itself instead of building an equal one (an
 * unchanged tree is then recognised without encoding it again: archiver.ts).
 */
export function sameMeta(old: TreeNode, st: BigIntStats): boolean {
  return (
    old.type === nodeType(st) &&
    old.mode === Number(st.mode & 0o7777n) &&
    old.uid === Number(st.uid) &&
    old.gid === Number(st.gid) &&
    old.links === Number(st.nlink) &&
    old.mtime === st.mtimeNs.toString() &&
    old.ctime === st.ctimeNs.toString() &&
    old.inode === st.ino.toString() &&
    old.dev === st.dev.toString() &&
    old.atime === undefined &&
    old.rdev === undefined
  );
}
