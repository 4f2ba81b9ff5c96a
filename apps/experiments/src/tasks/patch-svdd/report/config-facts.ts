// The patch-svdd task's report piece: its resolved config as label/value rows for report.html.
import type { ConfigFacts, Fact } from '../../../core/report/run-facts';
import { imageSide, type PatchSvddConfig, patchSvddConfigSchema } from '../config/patch-svdd-config';

function patchSvddFacts(config: PatchSvddConfig): Fact[] {
  const b = config.benchmark;
  const side = imageSide(config);
  const data =
    config.dataset === 'defect-benchmark'
      ? `defect benchmark: Fashion-MNIST classes ${config.categories.join(', ')} at ${side}x${side}; ${b.train} defect-free training images (train split), ${b.test} test images (test split), ${b.defectFraction} of them with a CutPaste patch, an MNIST stroke or a Perlin blend`
      : `MVTec AD at ${side}x${side}: ${config.categories.join(', ')}`;
  const k = config.curvatures;
  return [
    { label: 'Task', value: 'one-class anomaly segmentation with Patch-SVDD (paper Sec. V-D, Tables VIII and IX)' },
    { label: 'Data', value: data },
    {
      label: 'Patches',
      value: `${config.patch.size} px (stride ${config.patch.largeStride}) and ${config.patch.size / 2} px (stride ${config.patch.smallStride}); D = ${config.embeddingDim}, classifier width ${config.hiddenUnits}`,
    },
    { label: 'Models', value: config.models.join(', ') },
    {
      label: 'Curvatures',
      value: `SiO ${k.SiO}, HiO ${k.HiO}, MiO (${k.MiO.join(', ')}); SiT ${k.SiT}, HiT ${k.HiT}, MiT (${k.MiT.join(', ')})`,
    },
    { label: 'Loss', value: `position cross-entropies + ${config.svddWeight} x SVDD' (mean L2 distance of nearby patches), both scales` },
    { label: 'Scorings', value: config.scorings.join(', ') },
    {
      label: 'Training',
      value:
        config.epochs === 0
          ? 'none: epochs 0 scores the untrained encoder and heads (a control)'
          : `Adam ${config.optimizer.learningRate}, ${config.epochs} epoch(s) of ${config.stepsPerEpoch} steps, ${config.batchSize} pairs per kind and scale`,
    },
    { label: 'Trials', value: `${config.trials} (trial i uses seed ${config.seed} + i)` },
  ];
}

/** The facts of a recorded patch-svdd config; null when it is not one. */
export const patchSvddConfigFacts: ConfigFacts = (config) => {
  const parsed = patchSvddConfigSchema.strip().safeParse(config);
  return parsed.success ? patchSvddFacts(parsed.data) : null;
};
