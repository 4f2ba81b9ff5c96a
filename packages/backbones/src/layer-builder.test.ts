import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { resnet18 } from './resnet18';
import { smallCnn } from './small-cnn';

describe('LayerBuilder options', () => {
  it('weightDecay adds lambda/2 ||W||^2 per conv and dense kernel (PyTorch weight_decay = lambda)', () => {
    const lambda = 5e-4;
    const model = smallCnn({ seed: 1, weightDecay: lambda });
    // What LayersModel.fit adds to the loss: one penalty per regularised kernel.
    const penalties = model.calculateLosses();
    const penalty = penalties.reduce((sum, p) => sum + p.dataSync()[0]!, 0);
    tf.dispose(penalties);
    let expected = 0;
    for (const name of ['conv1', 'conv2', 'embedding']) {
      for (const v of model.getLayer(name).getWeights()[0]!.dataSync()) expected += (lambda / 2) * v * v;
    }
    expect(penalties.length).toBe(3);
    expect(penalty).toBeCloseTo(expected, 6);
    const plain = smallCnn({ seed: 1 });
    expect(plain.calculateLosses().length).toBe(0);
    plain.dispose();
    model.dispose();
  });

  it('strided 3x3 convs sample the same positions as PyTorch (pad 1 on every side)', () => {
    const model = resnet18({ baseWidth: 2, inputShape: [8, 8, 3] });
    const pad = model.getLayer('stage2_block1_conv1_pad');
    expect(pad.outputShape).toEqual([null, 10, 10, 2]);
    expect(model.getLayer('stage2_block1_conv1').outputShape).toEqual([null, 4, 4, 4]);
    expect(model.getLayer('stage2_block1_proj').outputShape).toEqual([null, 4, 4, 4]);
    model.dispose();
  });
});
