// The options with which an `experiment <task>` command hands its units to a BullMQ queue instead
// of training them itself (`curvad worker` processes run them). Every task's command takes them
// with the same meaning and messages.
import type { Command } from 'commander';
import { positiveInteger } from './option-parsers';

/** Adds --queue, --attempts and --retry-seconds to `command`. */
export function addQueueOptions(command: Command): Command {
  return command
    .option(
      '--queue <url>',
      'redis://[:PASSWORD@]HOST:PORT[/DB]: queue one job per unit (BullMQ) for `curvad worker` processes instead of training here, and follow them; --out must be a folder every worker sees at the same path',
    )
    .option(
      '--attempts <n>',
      'with --queue: runs of a failing unit in all before it is recorded as failed (default 3)',
      positiveInteger('--attempts', 3),
    )
    .option(
      '--retry-seconds <n>',
      'with --queue: seconds before the first retry of a failed unit, doubled for each further one (default 10)',
      positiveInteger('--retry-seconds', 10),
    );
}
