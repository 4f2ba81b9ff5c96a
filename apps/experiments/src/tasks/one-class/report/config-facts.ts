// The one-class task's report piece: its resolved config as label/value rows for report.html.
import type { ConfigFacts, Fact } from '../../../core/report/run-facts';
import { type OneClassConfig, oneClassConfigSchema } from '../config/one-class-config';
import { className } from './class-names';

function oneClassFacts(config: OneClassConfig): Fact[] {
  const o = config.optimizer;
  const limit = (n: number | undefined, what: string) => (n === undefined ? `all ${what}` : `${n} ${what}`);
  return [
    { label: 'Task', value: 'one-class detection with RotNet and CSI (paper Sec. V-B, Table VI): one normal class per configuration' },
    {
      label: 'Data',
      value: `${config.dataset}${config.partition === undefined ? '' : ` (${config.partition} of the npm test digits train, the rest test)`}; normal classes ${config.normalClasses.map((c) => `${c} (${className(config.dataset, c)})`).join(', ')}`,
    },
    { label: 'Backbone', value: `${config.backbone.name}, options ${JSON.stringify(config.backbone.options)}` },
    { label: 'Feature size', value: config.embeddingDim === undefined ? "the backbone's feature width" : String(config.embeddingDim) },
    { label: 'Models', value: config.models.join(', ') },
    {
      label: 'Curvatures (RotNet models)',
      value: `SiT ${config.curvatures.SiT}, HiT ${config.curvatures.HiT}, MiT (${config.curvatures.MiT.join(', ')})`,
    },
    ...(config.models.some((m) => m.startsWith('CSI'))
      ? [
          {
            label: 'Curvatures (CSI models)',
            value: `SiT ${config.csiCurvatures.SiT}, HiT ${config.csiCurvatures.HiT}, MiT (${config.csiCurvatures.MiT.join(', ')})`,
          },
          {
            label: 'CSI',
            value: `projection ${config.csi.projectionDim}-d, NT-Xent temperature ${config.csi.temperature}, crop scale [${config.csi.cropScale.join(', ')}], score balancing ${config.csi.balancing}`,
          },
        ]
      : []),
    {
      label: 'Scorings',
      value: `${config.scorings.join(', ')}; standard GiT rows: ${config.divergenceDirection === 'both' ? 'both directions' : `${config.divergenceDirection} direction`}; the final epoch is scored (no test-set model selection)`,
    },
    { label: 'Epochs', value: String(config.epochs) },
    {
      label: 'Optimizer',
      value: `${o.name}, learning rate ${o.learningRate}${o.milestones.length ? `, x ${o.gamma} at epochs ${o.milestones.join(', ')}` : ''}`,
    },
    { label: 'Batch size', value: `${config.batchSize} images (x 4 rotations)` },
    { label: 'Trials', value: `${config.trials} (trial i uses seed ${config.seed} + i)` },
    {
      label: 'Data limits',
      value: `${limit(config.limits.train, 'training images of the normal class')}, ${limit(config.limits.test, 'test images')}`,
    },
  ];
}

/** The facts of a recorded one-class config; null when it is not one. */
export const oneClassConfigFacts: ConfigFacts = (config) => {
  const parsed = oneClassConfigSchema.strip().safeParse(config);
  return parsed.success ? oneClassFacts(parsed.data) : null;
};
