import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { segmentationUNet } from './segmentation-unet';
import { smallCnn } from './small-cnn';
import { withClassifier } from './with-classifier';

describe('withClassifier', () => {
  it('computes embedding . W + b on top of the backbone, sharing its weights', () => {
    const backbone = smallCnn({ seed: 1, embeddingDim: 6 });
    const model = withClassifier(backbone, 3, { seed: 2 });
    expect(model.trainableWeights.length).toBe(backbone.trainableWeights.length + 2);
    expect(model.trainableWeights[0]!.read()).toBe(backbone.trainableWeights[0]!.read());
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 3);
    const embedding = (backbone.predict(x) as tf.Tensor).arraySync() as number[][];
    const logits = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const [w, b] = model
      .getLayer('logits')
      .getWeights()
      .map((t) => t.arraySync()) as [number[][], number[]];
    embedding.forEach((e, r) => {
      b.forEach((bj, j) => {
        expect(logits[r]![j]).toBeCloseTo(bj + e.reduce((s, ei, i) => s + ei * w[i]![j]!, 0), 5);
      });
    });
    // PyTorch nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    expect(w.flat().every((v) => Math.abs(v) <= 1 / Math.sqrt(6))).toBe(true);
    x.dispose();
    model.dispose();
  });

  it('classifies every pixel of a per-pixel embedding', () => {
    const model = withClassifier(segmentationUNet({ depth: 1, width: 2, embeddingDim: 4, inputShape: [8, 8, 3] }), 5);
    expect(model.outputs[0]!.shape).toEqual([null, 8, 8, 5]);
    model.dispose();
  });
});
