import type * as tfl from '@tensorflow/tfjs-layers';

export interface ParameterCount {
  /** Trainable scalars: what PyTorch's sum(p.numel() for p in model.parameters()) and the papers report. */
  trainable: number;
  /** Non-trainable scalars: batch-norm moving means and variances, frozen weights. */
  nonTrainable: number;
  total: number;
}

/** Counts a model's parameters, split the way the papers count them (trainable only). */
export function parameterCount(model: tfl.LayersModel): ParameterCount {
  const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, d) => a * (d ?? 0), 1);
  const trainable = model.trainableWeights.reduce((sum, w) => sum + size(w.shape), 0);
  const nonTrainable = model.nonTrainableWeights.reduce((sum, w) => sum + size(w.shape), 0);
  return { trainable, nonTrainable, total: trainable + nonTrainable };
}
