/**
 * The wizard's draft: a small store of its own, dropped when the wizard closes, so a half-made
 * job never mixes with the app state from main.
 */
import { create } from 'zustand';
import type { DestinationCheck, SourcesPreview } from '../../../../shared/contract';

export const STEPS = ['what', 'where', 'protection', 'when', 'keep', 'review'] as const;
export type Step = (typeof STEPS)[number];

export type Frequency = 'hourly' | 'daily' | 'weekly' | 'custom' | 'manual';

export interface Draft {
  readonly step: Step;
  readonly name: string;
  readonly sources: readonly string[];
  /** Suggested patterns the user ticked. */
  readonly excludes: readonly string[];
  /** Extra patterns typed by hand, one per line (the raw text mode). */
  readonly excludeText: string;
  readonly preview: SourcesPreview | null;
  readonly destinationType: 'local';
  readonly destinationPath: string;
  readonly destinationLabel: string;
  readonly check: DestinationCheck | null;
  readonly password: string;
  readonly confirm: string;
  readonly remember: boolean;
  readonly savedPassword: boolean;
  readonly frequency: Frequency;
  readonly at: string;
  readonly days: readonly number[];
  readonly customMinutes: number;
  /** The custom choice: every N minutes, or a cron expression. */
  readonly customKind: 'interval' | 'cron';
  /** The cron expression as typed (five fields). */
  readonly cron: string;
  readonly rpoHours: number;
  /** A preset id or "keep-all". */
  readonly retention: string;
  readonly beforeHook: string;
  readonly afterHook: string;
}

export const INITIAL_DRAFT: Draft = {
  step: 'what',
  name: '',
  sources: [],
  excludes: [],
  excludeText: '',
  preview: null,
  destinationType: 'local',
  destinationPath: '',
  destinationLabel: '',
  check: null,
  password: '',
  confirm: '',
  remember: true,
  savedPassword: false,
  frequency: 'daily',
  at: '12:00',
  days: [1],
  customMinutes: 120,
  customKind: 'interval',
  cron: '30 2 * * 1-5',
  rpoHours: 26,
  retention: 'time-machine',
  beforeHook: '',
  afterHook: '',
};

interface WizardStore {
  readonly draft: Draft;
  update(patch: Partial<Draft>): void;
  reset(patch?: Partial<Draft>): void;
}

export const useWizard = create<WizardStore>()((set, get) => ({
  draft: INITIAL_DRAFT,
  update: (patch) => set({ draft: { ...get().draft, ...patch } }),
  reset: (patch) => set({ draft: { ...INITIAL_DRAFT, ...patch } }),
}));

/** All exclude patterns: ticked suggestions and typed lines (blank lines and # comments out). */
export function allExcludes(d: Draft): string[] {
  const typed = d.excludeText
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  return [...new Set([...d.excludes, ...typed])];
}
