import { join } from 'node:path';
import type { PatchSvddConfig } from '@curvad/experiments';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { resolveTaskConfigOptions } from '../config-options';
import type { ExitCode } from '../exit-codes';
import { type ExperimentRunOptions, type ExperimentTaskCommand, loadExperiments, runTaskExperiment } from '../experiment-run';
import { registerTaskSubcommand } from '../task-subcommand';

export type ExperimentPatchSvddOptions = ExperimentRunOptions;

/** The preset lines of `experiment patch-svdd --help`. */
async function presetSummaries(): Promise<string[]> {
  const experiments = await loadExperiments();
  return experiments.listPatchSvddPresets().map((name) => {
    const config = experiments.patchSvddPresetConfig(name);
    const side = config.dataset === 'mvtec' ? config.mvtec.size : config.benchmark.size;
    return `${name.padEnd(15)} ${config.dataset}, ${config.categories.length} categories at ${side}x${side}, patches ${config.patch.size}/${config.patch.size / 2}, ${config.models.length} models, ${config.epochs} x ${config.stepsPerEpoch} steps, ${config.trials} trials`;
  });
}

const EXAMPLES = `
Examples:
  $ npx curvad experiment patch-svdd --preset fmnist-defects --quick
      under a minute: 2 categories, baseline / MiO / MiT, 2 training steps, 1 trial, both scorings
  $ npx curvad experiment patch-svdd --preset fmnist-defects --out results/fmnist-defects
      the offline defect benchmark: every model, both scorings, 3 trials
  $ npx curvad experiment patch-svdd --preset fmnist-defects --resume --out results/fmnist-defects
      continue an interrupted run (finished units are kept)
  $ npx curvad experiment patch-svdd --preset mvtec --set mvtec.dir=/data/mvtec_anomaly_detection --backend tensorflow
      the paper's MVTec AD setting (needs the data and a GPU backend)

Rows: per model, its dagger scoring (no training data: 1 - MSP for the baseline, z_S / z_H / z_M for GiO,
tanh(KL) of the position logits for GiT, each patch paired with a jittered neighbour) and its Patch-SVDD scoring
(distance to the nearest training patch embedding). Patch scores are averaged onto the pixels at both scales.
Metrics: pixel AUROC (table-viii.md: dagger, table-ix.md: Patch-SVDD scoring), image AUROC, AUPRO to FPR 0.3.
Ctrl-C stops after the current training step and keeps every finished unit; a second Ctrl-C quits at once.
Exit codes: 0 done, 2 usage or a bad or unreachable --queue (one sentence says what to do), 3 some units failed
(--resume reruns them), 130 interrupted.`;

/** Adds `patch-svdd` under the `experiment` command that experiment-ood.ts registers. */
export function registerExperimentPatchSvddCommand(program: Command, context: CliContext): void {
  registerTaskSubcommand(program, context, {
    name: 'patch-svdd',
    description:
      'one-class anomaly segmentation with Patch-SVDD and geometric position classifiers (paper Sec. V-D, Tables VIII and IX): trained on defect-free images, defects marked pixel by pixel; writes results.json, Tables VIII and IX, tables and an HTML report',
    setExample: 'benchmark.train=100',
    quickHelp: 'smoke-test size: 2 categories, 3 models, 2 steps, 1 trial (numbers not comparable)',
    epochsExample: 1,
    presetSummaries,
    examples: EXAMPLES,
    run: runExperimentPatchSvdd,
  });
}

/** What `experiment patch-svdd` adds to the run every task's command shares. */
const PATCH_SVDD_COMMAND: ExperimentTaskCommand<PatchSvddConfig> = {
  command: 'patch-svdd',
  resolveConfig: (experiments, options, cwd) =>
    resolveTaskConfigOptions(experiments, options, cwd, {
      command: 'patch-svdd',
      kind: 'patch-svdd ',
      presets: experiments.listPatchSvddPresets(),
      resolve: (input) => experiments.resolvePatchSvddConfig(input),
    }),
  formatConfig: (experiments, config) => experiments.formatPatchSvddConfig(config, 'json'),
  describeRun: (config) =>
    `${config.dataset}, ${config.categories.length} categories, ${config.models.length} models, ${config.epochs} x ${config.stepsPerEpoch} steps, ${config.trials} trial(s)`,
  configurationCount: (config) => config.categories.length,
  trialsOver: () => '',
  run: (experiments, options) => experiments.runPatchSvddExperiment(options),
  reportNote: (experiments, shownOut) =>
    ` (Tables VIII and IX: ${join(shownOut, experiments.TABLE_VIII_FILE)}, ${join(shownOut, experiments.TABLE_IX_FILE)})`,
};

export function runExperimentPatchSvdd(options: ExperimentPatchSvddOptions, context: CliContext): Promise<ExitCode> {
  return runTaskExperiment(PATCH_SVDD_COMMAND, options, context);
}
