import { Command, CommanderError } from 'commander';
import type { CliContext } from './cli-context';
import { registerDatasetsCommands } from './commands/datasets';
import { registerExperimentOneClassCommand } from './commands/experiment-one-class';
import { registerExperimentCommands } from './commands/experiment-ood';
import { registerExperimentPatchSvddCommand } from './commands/experiment-patch-svdd';
import { registerExperimentSegmentationCommand } from './commands/experiment-segmentation';
import { registerReportCommand } from './commands/report';
import { registerRescoreCommand } from './commands/rescore';
import { registerWorkerCommand } from './commands/worker';
import { versionText } from './version-text';

const EXAMPLES = `
Examples (from the repository root, after npm run setup):
  $ npx curvad experiment ood --preset fmnist-mnist --quick     quick OOD run (minutes), prints the table
  $ npx curvad experiment ood --preset fmnist-mnist             the full preset (5 trials)
  $ npx curvad experiment one-class --preset fmnist-one-class --quick
                                                                 one-class RotNet run (under a minute), prints Table VI
  $ npx curvad report results/fmnist-mnist-2026-11-29           rebuild tables and report.html
  $ npx curvad datasets list                                     which datasets are on this machine
  $ npx curvad datasets fetch fashion-mnist                      download one (checksums verified)
  $ npx curvad experiment ood --preset mnist-holdout --queue redis://127.0.0.1:6379/0
                                                                 queue the run's units on Redis and follow them
  $ npx curvad worker --queue redis://127.0.0.1:6379/0           run queued units (on each machine; --help)

Exit codes: 0 done, 1 unexpected error (a bug), 2 usage, data or file-system problem (the message says what to do),
3 some trials failed (rerun with --resume), 130 interrupted with Ctrl-C (the message says what is saved and how to continue).
Each command has --help with examples, e.g. npx curvad experiment ood --help.`;

/** The `curvad` command tree. Errors are thrown (exitOverride), never turned into process.exit here. */
export function createProgram(context: CliContext): Command {
  const { io } = context;
  const program = new Command('curvad')
    .description("Curved geometric networks for visual anomaly recognition: run the paper's experiments, rebuild reports, manage datasets.")
    // Not commander's .version(): the text runs git, so it is made only when asked for.
    .option('-V, --version', 'print the versions of curvad (and its git commit), tfjs-core and node')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage and examples)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText('after', EXAMPLES);
  program.on('option:version', () => {
    const text = versionText();
    io.stdout.write(text);
    throw new CommanderError(0, 'commander.version', text);
  });
  // Subcommands made with .command() inherit the output, exitOverride and error-help settings above.
  registerExperimentCommands(program, context);
  registerExperimentOneClassCommand(program, context);
  registerExperimentSegmentationCommand(program, context);
  registerExperimentPatchSvddCommand(program, context);
  registerReportCommand(program, context);
  registerRescoreCommand(program, context);
  registerDatasetsCommands(program, context);
  registerWorkerCommand(program, context);
  return program;
}
