// Runnable example: `pnpm build && node examples/defect-benchmark.mjs` in packages/datasets.
// Builds the offline defect benchmark for each of its five Fashion-MNIST categories: a defect-free
// training set from the category's TRAIN images, and a test set from its TEST images with defects
// whose patches and blends come from the other classes' TEST images and whose strokes are MNIST digits.
import {
  DEFECT_BENCHMARK_CATEGORIES,
  defectBenchmark,
  FASHION_MNIST_CLASS_NAMES,
  fashionMnist,
  indicesOfClass,
  mnist,
  takeImages,
} from '@curvad/datasets';

const train = await fashionMnist({ split: 'train' });
const test = await fashionMnist({ split: 'test' });
const strokes = await mnist({ split: 'test' });

for (const category of DEFECT_BENCHMARK_CATEGORIES) {
  const started = performance.now();
  const others = takeImages(
    test,
    [...test.labels.keys()].filter((i) => test.labels[i] !== category),
  );
  const trainSet = defectBenchmark({
    normals: takeImages(train, indicesOfClass(train.labels, category)),
    others,
    count: 1000,
    seed: 100 + category,
    defectFraction: 0,
  });
  const testSet = defectBenchmark({
    normals: takeImages(test, indicesOfClass(test.labels, category)),
    others,
    strokes,
    count: 400,
    seed: 200 + category,
  });
  const perKind = {};
  for (const kind of testSet.kinds) if (kind) perKind[kind] = (perKind[kind] ?? 0) + 1;
  const defectPixels = testSet.masks.reduce((a, v) => a + v, 0);
  const defectivePixels = testSet.defective.reduce((a, v) => a + v, 0) * 64 * 64;
  console.log(
    `${category} ${FASHION_MNIST_CLASS_NAMES[category]}: train ${trainSet.shape.join('x')}, test ${testSet.shape.join('x')}, ` +
      `kinds ${JSON.stringify(perKind)}, defect pixels ${((100 * defectPixels) / defectivePixels).toFixed(1)}% of a defective image, ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
