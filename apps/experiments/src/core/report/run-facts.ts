import { type OodConfig, oodConfigSchema } from '../../tasks/ood/config/ood-config';
import type { DataFile, ResultsFile } from '../results/results-file';

/** A label and its text; `note` marks a value the run did not record. */
export interface Fact {
  label: string;
  value: string;
  note?: boolean;
}

export const NOT_RECORDED = 'not recorded in this run';
/** Characters of a SHA-256 shown in the report (the full hash stays in results.json). */
const SHORT_SHA = 12;

/** A `--quick` smoke run: flagged in results.json, or (older files) named `<preset>-quick`. */
export function isQuickRun(results: ResultsFile): boolean {
  return results.quick === true || results.experiment.endsWith('-quick');
}

/**
 * The backend's short name and the sentence that says why it was chosen. Older files hold the
 * whole runtime log line in `backend` ("@curvad/runtime: using backend 'wasm' (...); skipped ..."):
 * the name is read out of it and the sentence becomes the detail.
 */
export function backendFacts(results: ResultsFile): { name: string; detail: string | null } {
  const logged = /using backend '([^']+)'/.exec(results.backend);
  if (logged) return { name: logged[1]!, detail: results.backendDetail ?? results.backend.replace(/^@curvad\/runtime:\s*/, '') };
  return { name: results.backend, detail: results.backendDetail ?? null };
}

function list(values: readonly (string | number)[]): string {
  return values.join(', ');
}

function jsonOrNone(value: Record<string, unknown>): string {
  return Object.keys(value).length ? JSON.stringify(value) : 'defaults';
}

function configFacts(config: OodConfig): Fact[] {
  const trained = new Set(config.models);
  const curvatures = Object.entries(config.curvatures)
    .filter(([model]) => trained.has(model as OodConfig['models'][number]))
    .map(([model, k]) => `${model} ${Array.isArray(k) ? `(${k.join(', ')})` : k}`);
  const o = config.optimizer;
  const schedule = o.milestones.length ? `learning rate x ${o.gamma} at epochs ${list(o.milestones)}` : 'constant learning rate';
  const limit = (n: number | undefined, what: string) => (n === undefined ? `all ${what}` : `${n} ${what}`);
  const d = config.detectors;
  const detectors = [
    ...(d.msp ? ['MSP'] : []),
    ...(d.odin ? [`ODIN (T ${d.odinTemperature}, epsilon ${d.odinEpsilon}; +HiO epsilon ${d.odinHyperbolicEpsilon})`] : []),
    'the geometric scores of each trained head',
  ];
  return [
    { label: 'Backbone', value: `${config.backbone.name}, options ${jsonOrNone(config.backbone.options)}` },
    {
      label: 'Embedding size',
      value: config.embeddingDim === undefined ? "the backbone's feature width (no projection)" : String(config.embeddingDim),
    },
    { label: 'Models', value: list(config.models) },
    { label: 'Curvatures', value: curvatures.length ? list(curvatures) : 'none (Euclidean models only)' },
    { label: 'Sphere head', value: `${config.sphereVariant} variant, logit scale ${config.sphereScale}` },
    { label: 'Detectors', value: detectors.join('; ') },
    { label: 'Epochs', value: String(config.epochs) },
    { label: 'Optimizer', value: `${o.name}, learning rate ${o.learningRate}${o.name === 'momentum' ? `, momentum ${o.momentum}` : ''}` },
    { label: 'Schedule', value: schedule },
    { label: 'Batch size', value: String(config.batchSize) },
    { label: 'Trials', value: `${config.trials} (trial i uses seed ${config.seed} + i)` },
    {
      label: 'Data limits',
      value: `${limit(config.limits.train, 'training images')}, ${limit(config.limits.test, 'ID test images')}, ${limit(config.limits.ood, 'images per OOD set')}`,
    },
    ...config.configurations.map((c) => ({
      label: `Configuration ${c.name}`,
      value: `ID ${c.id.dataset}${c.id.classes ? ` classes ${list(c.id.classes)}` : ''}${c.id.partition ? ` (${c.id.partition} of it trains)` : ''}; OOD ${c.ood
        .map((s) =>
          s.kind === 'noise'
            ? `${s.name} (${s.noise} noise, ${s.count} images)`
            : s.kind === 'dataset'
              ? `${s.name} (${s.dataset}${s.classes ? ` classes ${list(s.classes)}` : ''})`
              : `${s.name} (ODIN set ${s.set})`,
        )
        .join(', ')}`,
    })),
  ];
}

/**
 * The resolved experiment config as label/value rows. A config this version cannot read (another
 * task, an older schema) is shown as its JSON instead, so nothing is hidden.
 */
export function resolvedConfigFacts(results: ResultsFile): { facts: Fact[]; json: string } {
  const json = JSON.stringify(results.config, null, 2) ?? 'null';
  // Not strict: a config with fields this version does not know still shows the ones it does.
  const parsed = oodConfigSchema.strip().safeParse(results.config);
  if (!parsed.success)
    return { facts: [{ label: 'Config', value: 'not an OOD experiment config this version reads: see the JSON below', note: true }], json };
  return { facts: configFacts(parsed.data), json };
}

function minutes(seconds: number): string {
  return seconds >= 90 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}

/** Who ran what, where and when: everything needed to rerun or compare the run. */
export function provenanceFacts(results: ResultsFile): Fact[] {
  const backend = backendFacts(results);
  return [
    { label: 'Experiment', value: results.experiment + (results.preset ? ` (preset ${results.preset})` : '') },
    { label: 'Command', value: results.command },
    { label: 'Seeds', value: list(results.seeds) },
    { label: 'Backend', value: backend.name },
    { label: 'Backend detail', value: backend.detail ?? NOT_RECORDED, note: backend.detail === null },
    {
      label: 'Versions',
      value: Object.entries(results.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    },
    { label: 'Git commit', value: results.gitCommit ?? NOT_RECORDED, note: results.gitCommit === null },
    { label: 'Started', value: results.startedAt },
    { label: 'Updated', value: results.updatedAt },
    { label: 'Wall time', value: minutes(results.wallTimeSec) },
    { label: 'Complete', value: results.complete ? 'yes' : 'no (interrupted: rerun the same command with --resume to finish it)' },
  ];
}

export interface DataFileRow {
  configuration: string;
  part: string;
  path: string;
  bytes: string;
  sha256: string;
}

/** The data files read, with a short SHA-256; null when the run did not record them. */
export function dataFileRows(files: DataFile[] | undefined): DataFileRow[] | null {
  if (!files) return null;
  return files.map((f) => ({
    configuration: f.configuration,
    part: f.part,
    path: f.path,
    bytes: f.bytes.toLocaleString('en-US'),
    sha256: f.sha256.slice(0, SHORT_SHA),
  }));
}
