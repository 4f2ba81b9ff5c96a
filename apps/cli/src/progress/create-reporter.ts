import type { RunReporter } from '@curvad/experiments';
import type { CliIo } from '../cli-io';
import type { UnitCounts } from '../saved-progress';
import { BarReporter } from './bar-reporter';
import { PlainReporter } from './plain-reporter';

export interface StoppableReporter extends RunReporter {
  /** Stop drawing (restores the cursor); called before the CLI prints its own output. */
  stop(): void;
  /** Models of the run finished (earlier sessions included) and in all, once the runner announced its plan. */
  unitCounts(): UnitCounts | null;
}

/** Bars on a terminal, plain periodic lines otherwise (CI logs, pipes). Both write to stderr. */
export function createReporter(io: CliIo): StoppableReporter {
  return io.interactive ? new BarReporter(io.stderr, io.now) : new PlainReporter(io.stderr, io.now);
}
