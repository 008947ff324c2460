/** One `strata` subcommand. `run` returns the exit code; errors thrown are mapped by main. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly details?: string;
  run(args: readonly string[]): Promise<number>;
}
