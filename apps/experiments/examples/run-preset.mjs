// The experiment app used as a library: run a preset from a script, with plain progress lines.
// (The `curvad` command of apps/cli is the full front end: progress bars, Ctrl-C handling, help.)
//
//   npx turbo run build --filter=@curvad/experiments...
//   node apps/experiments/examples/run-preset.mjs fmnist-mnist --out results/fmnist-mnist [--quick] [--trials N] [--resume]
import { parseArgs } from 'node:util';
import { presetConfig, runOodExperiment } from '@curvad/experiments';
import { initBackend } from '@curvad/runtime';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
    resume: { type: 'boolean', default: false },
    trials: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
  },
});
const preset = positionals[0] ?? 'fmnist-mnist';
const config = presetConfig(preset, { quick: values.quick, ...(values.trials ? { trials: Number(values.trials) } : {}) });
const backend = await initBackend({ backend: values.backend });
const outDir = values.out ?? `results/${config.name}`;
const controller = new AbortController();
process.once('SIGINT', () => {
  console.log('stopping after the current step (finished (trial, model) units are kept; rerun with --resume)');
  controller.abort();
});
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 60000).toFixed(1)} min`;
const { interrupted, reportFiles } = await runOodExperiment({
  config,
  outDir,
  preset,
  command: `node apps/experiments/examples/run-preset.mjs ${process.argv.slice(2).join(' ')}`,
  backend: backend.backend,
  backendDetail: backend.summary,
  quick: values.quick,
  resume: values.resume,
  signal: controller.signal,
  reporter: {
    log: (line) => console.log(`[${elapsed()}] ${line}`),
    onRunPlan: (plan) => console.log(`[${elapsed()}] ${plan.units} units (configuration x trial x model), ${plan.unitsDone} already done`),
    onTrialStart: (configuration, trial, trials) => console.log(`[${elapsed()}] ${configuration}: trial ${trial + 1}/${trials}`),
    onModelStart: (model, index, count) => console.log(`[${elapsed()}]   model ${model} (${index + 1}/${count})`),
    onEpochEnd: (epoch, loss) => console.log(`[${elapsed()}]     epoch ${epoch + 1}: loss ${loss.toFixed(4)}`),
  },
});
console.log(interrupted ? `interrupted; resume with --resume --out ${outDir}` : `done in ${elapsed()}`);
const report = reportFiles.find((f) => f.endsWith('report.html'));
if (report) console.log(`report: ${report}`);
process.exitCode = interrupted ? 130 : 0;
