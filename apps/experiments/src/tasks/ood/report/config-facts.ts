// The OOD task's report piece: its resolved config as label/value rows for report.html.
import type { ConfigFacts, Fact } from '../../../core/report/run-facts';
import { type OodConfig, oodConfigSchema } from '../config/ood-config';

function list(values: readonly (string | number)[]): string {
  return values.join(', ');
}

function jsonOrNone(value: Record<string, unknown>): string {
  return Object.keys(value).length ? JSON.stringify(value) : 'defaults';
}

function oodFacts(config: OodConfig): Fact[] {
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

/** The facts of a recorded OOD config; null when it is not one (another task, an older schema). */
export const oodConfigFacts: ConfigFacts = (config) => {
  // Not strict: a config with fields this version does not know still shows the ones it does.
  const parsed = oodConfigSchema.strip().safeParse(config);
  return parsed.success ? oodFacts(parsed.data) : null;
};
