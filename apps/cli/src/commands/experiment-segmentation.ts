import { join } from 'node:path';
import type { SegmentationConfig } from '@curvad/experiments';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { resolveTaskConfigOptions } from '../config-options';
import type { ExitCode } from '../exit-codes';
import { type ExperimentRunOptions, type ExperimentTaskCommand, loadExperiments, runTaskExperiment } from '../experiment-run';
import { registerTaskSubcommand } from '../task-subcommand';

export type ExperimentSegmentationOptions = ExperimentRunOptions;

/** The preset lines of `experiment segmentation --help`. */
async function presetSummaries(): Promise<string[]> {
  const experiments = await loadExperiments();
  return experiments.listSegmentationPresets().map((name) => {
    const config = experiments.segmentationPresetConfig(name);
    const size =
      config.dataset === 'streethazards'
        ? `${config.streetHazards.size.join('x')} scenes`
        : `${config.scenes.train} training / ${config.scenes.test} test scenes of ${config.scenes.size}x${config.scenes.size}`;
    return `${name.padEnd(14)} ${config.dataset}, ${size}, ${config.models.length} models (U-Net depth ${config.unet.depth}), ${config.epochs} epochs, ${config.trials} trials`;
  });
}

const EXAMPLES = `
Examples:
  $ npx curvad experiment segmentation --preset fmnist-scenes --quick
      under a minute: 96 training and 24 test scenes, 1 epoch, 1 trial, every model and row
  $ npx curvad experiment segmentation --preset fmnist-scenes --out results/fmnist-scenes
      the offline benchmark: 4 models x 3 trials (about 70 minutes on 2 cores, wasm)
  $ npx curvad experiment segmentation --preset fmnist-scenes --resume --out results/fmnist-scenes
      continue an interrupted run (finished units are kept)
  $ npx curvad experiment segmentation --preset fmnist-scenes --set divergenceDirection=text --set mitMaxLogit=false
      the text's 1 - tanh z rows, and Eq. 13 (no max logit) for MiT
  $ npx curvad experiment segmentation --preset streethazards --backend tensorflow
      the paper's StreetHazards setting (needs the extracted archives and a GPU backend)

Rows: MSP and MaxLogit of the Euclidean per-pixel classifier; z_EG (SiT, HiT) and z_EM (MiT) of the per-pixel
geometric heads, larger = anomalous as in the released code. Metrics (table-vii.md): the StreetHazards per-image
protocol (FPR95, AUROC, AUPR with the anomalous pixels positive, over images with both kinds of pixel, averaged),
the same pooled over all test pixels, and the mIoU of the known classes. The final epoch is scored.
Ctrl-C stops after the current training step and keeps every finished unit; a second Ctrl-C quits at once.
Exit codes: 0 done, 2 usage or a bad or unreachable --queue (one sentence says what to do), 3 some units failed
(--resume reruns them), 130 interrupted.`;

/** Adds `segmentation` under the `experiment` command that experiment-ood.ts registers. */
export function registerExperimentSegmentationCommand(program: Command, context: CliContext): void {
  registerTaskSubcommand(program, context, {
    name: 'segmentation',
    description:
      'multi-class anomaly segmentation with a U-Net and per-pixel SiT / HiT / MiT heads (paper Sec. V-C, Table VII): trained on scenes of known classes, unknown objects marked pixel by pixel; writes results.json, Table VII, tables and an HTML report',
    setExample: 'scenes.train=500',
    quickHelp: 'smoke-test size: 96 training and 24 test scenes, 1 trial, 1 epoch (numbers not comparable)',
    epochsExample: 4,
    presetSummaries,
    examples: EXAMPLES,
    run: runExperimentSegmentation,
  });
}

/** What `experiment segmentation` adds to the run every task's command shares. */
const SEGMENTATION_COMMAND: ExperimentTaskCommand<SegmentationConfig> = {
  command: 'segmentation',
  resolveConfig: (experiments, options, cwd) =>
    resolveTaskConfigOptions(experiments, options, cwd, {
      command: 'segmentation',
      kind: 'segmentation ',
      presets: experiments.listSegmentationPresets(),
      resolve: (input) => experiments.resolveSegmentationConfig(input),
    }),
  formatConfig: (experiments, config) => experiments.formatSegmentationConfig(config, 'json'),
  describeRun: (config) => `${config.dataset}, ${config.models.length} models, ${config.epochs} epoch(s), ${config.trials} trial(s)`,
  configurationCount: () => 1,
  trialsOver: () => '',
  run: (experiments, options) => experiments.runSegmentationExperiment(options),
  reportNote: (experiments, shownOut) => ` (Table VII: ${join(shownOut, experiments.TABLE_VII_FILE)})`,
};

export function runExperimentSegmentation(options: ExperimentSegmentationOptions, context: CliContext): Promise<ExitCode> {
  return runTaskExperiment(SEGMENTATION_COMMAND, options, context);
}
