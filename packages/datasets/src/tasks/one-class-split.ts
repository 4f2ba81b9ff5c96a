import { DatasetError } from '../errors.js';
import { assertImageSet, type ImageSet } from '../image-set.js';
import { indicesOfClass, takeImages } from '../pipeline/subset.js';

export interface OneClassSplitOptions {
  train: ImageSet;
  test: ImageSet;
  /** The class treated as normal; every other class is anomalous. */
  normalClass: number;
}

export interface OneClassTestSet extends ImageSet {
  /** 1 = anomalous (label differs from normalClass), 0 = normal: the evaluation convention of @curvad/metrics. */
  anomalyLabels: Uint8Array;
}

export interface OneClassSplit {
  /** Only the normal class's training images (their original labels kept). */
  train: ImageSet;
  /** The whole test set, with anomaly labels. */
  test: OneClassTestSet;
  normalClass: number;
}

/** The one-class protocol (GEOM, RotNet, CSI, Deep SVDD): train on one class, test on all, the others anomalous. */
export function oneClassSplit({ train, test, normalClass }: OneClassSplitOptions): OneClassSplit {
  assertImageSet(train, 'oneClassSplit train');
  assertImageSet(test, 'oneClassSplit test');
  if (train.shape.slice(1).join('x') !== test.shape.slice(1).join('x')) {
    throw new DatasetError(
      `oneClassSplit: train images are ${train.shape.slice(1).join('x')} but test images ${test.shape.slice(1).join('x')}; use one dataset's splits.`,
    );
  }
  const normal = indicesOfClass(train.labels, normalClass);
  if (normal.length === 0) {
    throw new DatasetError(
      `oneClassSplit: no training image has label ${normalClass}; pick a class present in the data (labels seen: ${[...new Set(train.labels)].sort((a, b) => a - b).join(', ')}).`,
    );
  }
  return {
    train: takeImages(train, normal),
    test: { ...test, anomalyLabels: Uint8Array.from(test.labels, (l) => (l === normalClass ? 0 : 1)) },
    normalClass,
  };
}
