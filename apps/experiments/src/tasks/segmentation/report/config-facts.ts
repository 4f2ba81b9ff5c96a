// The segmentation task's report piece: its resolved config as label/value rows for report.html.
import type { ConfigFacts, Fact } from '../../../core/report/run-facts';
import { type SegmentationConfig, segmentationConfigSchema } from '../config/segmentation-config';

function segmentationFacts(config: SegmentationConfig): Fact[] {
  const o = config.optimizer;
  const s = config.scenes;
  const data =
    config.dataset === 'fmnist-scenes'
      ? `fmnist-scenes: ${s.size}x${s.size} scenes, ${s.grid}x${s.grid} cells, object probability ${s.objectProbability}, background noise up to ${s.backgroundNoise}; ${s.train} training scenes (Fashion-MNIST train split, no anomaly), ${s.test} test scenes (Fashion-MNIST and MNIST test splits, ${s.anomaliesPerScene} digit(s) each)`
      : `StreetHazards at ${config.streetHazards.size.join('x')}; ${config.streetHazards.train ?? 'all'} training and ${config.streetHazards.test ?? 'all'} test scenes`;
  return [
    { label: 'Task', value: 'multi-class anomaly segmentation (paper Sec. V-C, Table VII): unknown objects marked pixel by pixel' },
    { label: 'Data', value: data },
    {
      label: 'Network',
      value: `U-Net depth ${config.unet.depth}, width ${config.unet.width}, ${config.unet.embeddingDim}-d per-pixel feature`,
    },
    { label: 'Models', value: config.models.join(', ') },
    { label: 'Curvatures', value: `SiT ${config.curvatures.SiT}, HiT ${config.curvatures.HiT}, MiT (${config.curvatures.MiT.join(', ')})` },
    {
      label: 'Scores',
      value: `MSP, MaxLogit; z_EG / z_EM (${config.divergenceDirection === 'both' ? 'both directions' : `${config.divergenceDirection} direction`}${config.mitMaxLogit ? "; MiT with the released code's max logit" : ''})`,
    },
    {
      label: 'Metrics',
      value:
        'per image (StreetHazards protocol: images with both kinds of pixel, averaged) and pooled over all pixels; FPR95 with the anomalous pixels positive; ID accuracy = mIoU of the known classes',
    },
    { label: 'Loss', value: `l_E + ${config.geometricLossWeight} l_S + ${config.geometricLossWeight} l_H` },
    { label: 'Epochs', value: String(config.epochs) },
    {
      label: 'Optimizer',
      value: `${o.name}, learning rate ${o.learningRate}${o.milestones.length ? `, x ${o.gamma} at epochs ${o.milestones.join(', ')}` : ''}`,
    },
    { label: 'Batch size', value: `${config.batchSize} scenes` },
    { label: 'Trials', value: `${config.trials} (trial i uses seed ${config.seed} + i)` },
  ];
}

/** The facts of a recorded segmentation config; null when it is not one. */
export const segmentationConfigFacts: ConfigFacts = (config) => {
  const parsed = segmentationConfigSchema.strip().safeParse(config);
  return parsed.success ? segmentationFacts(parsed.data) : null;
};
