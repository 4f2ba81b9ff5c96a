// The README's per-pixel example, run as a test so the documented code keeps working. Keep the two in sync.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { loadModel, pixelGeoHead, pixelHeadLoss, saveModel } from './index';

it('README example: per-pixel heads on a toy segmentation net, trained, saved, loaded', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'curvad-readme-pixel-'));
  // ---- README example start ----
  // A toy segmentation net: 16x16 RGB in, an 8x8x8 decoder feature map, the heads, 2x upsampling.
  const image = tfl.input({ shape: [16, 16, 3] });
  const features = tfl.layers
    .conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })
    .apply(image) as tfl.SymbolicTensor;
  const head = pixelGeoHead(features, { geometry: 'mixed', k: [1, -0.01], classes: 3, seed: 1 });
  const upsample = (t: tfl.SymbolicTensor) => tfl.layers.upSampling2d({ size: [2, 2] }).apply(t) as tfl.SymbolicTensor;
  const model = tfl.model({
    inputs: image,
    outputs: [head.logits.euclidean, head.logits.sphere!, head.logits.poincare!].map(upsample),
  });

  const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 1);
  const labels = tf.randomUniform([2, 16, 16], 0, 3, 'int32', 2); // class ids per pixel (255 = ignore)
  const optimizer = tf.train.adam(0.01);
  for (let step = 0; step < 5; step++) {
    optimizer.minimize(() => {
      const [euclidean, sphere, poincare] = model.apply(x) as tf.Tensor[];
      return pixelHeadLoss({ euclidean: euclidean!, sphere, poincare }, labels, { ignoreLabel: 255 });
    });
  }
  const [logitsE, logitsS, logitsH] = model.predict(x) as tf.Tensor[]; // each [2, 16, 16, 3]
  await saveModel(model, dir);
  const reloaded = await loadModel(dir); // same per-pixel outputs
  // ---- README example end ----
  for (const logits of [logitsE!, logitsS!, logitsH!]) expect(logits.shape).toEqual([2, 16, 16, 3]);
  const again = reloaded.predict(x) as tf.Tensor[];
  expect(again.map((t) => Array.from(t.dataSync()))).toEqual([logitsE!, logitsS!, logitsH!].map((t) => Array.from(t.dataSync())));
  await rm(dir, { recursive: true, force: true });
});
