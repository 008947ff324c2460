export { VirtualList } from './virtual-list';
export { ErrorNote, Notice } from './error-note';
export { StatusBadge } from './status-badge';
export * from './format';
