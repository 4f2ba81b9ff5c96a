// The `experiment <task>` subcommands of the tasks after OOD (one-class, segmentation, patch-svdd)
// take the same options with the same meaning; only their description, the --set example, what
// --quick does, the default epochs shown, the preset list and the examples differ. This registers
// one such subcommand from those parts.
import { type Command, Option } from 'commander';
import type { CliContext } from './cli-context';
import { collectSet } from './config-options';
import type { ExitCode } from './exit-codes';
import type { ExperimentRunOptions } from './experiment-run';
import { BACKEND_CHOICES, positiveInteger } from './option-parsers';
import { addQueueOptions } from './queue-options';

export interface TaskSubcommand {
  /** The subcommand's name under `experiment`. */
  name: string;
  description: string;
  /** The field shown in --set's help, e.g. `scenes.train=500`. */
  setExample: string;
  /** What --quick runs. */
  quickHelp: string;
  /** The example in the error message of a bad --epochs value. */
  epochsExample: number;
  /** The preset lines of --help (loaded only when --help is asked, since it loads @curvad/experiments). */
  presetSummaries: () => Promise<string[]>;
  /** Help text after the preset list (examples, rows, exit codes). */
  examples: string;
  run: (options: ExperimentRunOptions, context: CliContext) => Promise<ExitCode>;
}

/** Adds `spec.name` under the `experiment` command that experiment-ood.ts registers. */
export function registerTaskSubcommand(program: Command, context: CliContext, spec: TaskSubcommand): Command {
  const experiment = program.commands.find((c) => c.name() === 'experiment');
  if (!experiment) throw new Error(`registerTaskSubcommand(${spec.name}): register the experiment commands first.`);
  let presetLines: string[] = [];
  experiment.hook('preSubcommand', async (_parent, sub) => {
    if (sub.name() === spec.name && (context.args.includes('--help') || context.args.includes('-h'))) {
      presetLines = await spec.presetSummaries();
    }
  });
  const command = experiment
    .command(spec.name)
    .description(spec.description)
    .option('--preset <name>', 'experiment preset (see the list below); needed unless --config gives a whole config')
    .option('--config <file>', 'config file, JSON or YAML: laid over --preset, or the whole config without --preset')
    .option('--set <key=value>', `override one field, after everything else; repeatable (e.g. --set ${spec.setExample})`, collectSet)
    .option('--print-config', 'print the resolved config as JSON and exit without training; --config reads it back')
    .option('--quick', spec.quickHelp)
    .option('--trials <n>', 'number of trials (seeds seed, seed+1, ...); overrides the preset', positiveInteger('--trials', 3))
    .option('--epochs <n>', 'training epochs per model; overrides the preset', positiveInteger('--epochs', spec.epochsExample))
    .addOption(
      new Option('--backend <name>', 'tfjs backend; auto picks tfjs-node-gpu > tfjs-node > wasm > cpu')
        .choices(BACKEND_CHOICES)
        .default('auto'),
    )
    .option('--out <dir>', 'results folder (default: results/<preset>[-quick]-<date> under the current folder)')
    .option('--resume', "continue the run in --out (it must hold the run's results.json or units/): finished units are kept");
  return addQueueOptions(command)
    .addHelpText('after', () => `\nPresets:\n${presetLines.map((s) => `  ${s}`).join('\n')}\n${spec.examples}`)
    .action(async (options: ExperimentRunOptions) => {
      context.exitCode = await spec.run(options, context);
    });
}
