// Parts several OOD presets share (kept apart from presets.ts so preset files can import them).
import type { OodConfigInput } from './ood-config';

/**
 * The detectors beyond the paper (issue 14 item 3), on every model of the fmnist-* and CIFAR presets:
 * MaxLogit, energy, Mahalanobis and KNN, so the geometric heads meet the strongest simple detectors.
 */
export const EXTRA_DETECTORS = { maxlogit: true, energy: true, mahalanobis: true, knn: true } as const;

/** Fashion-MNIST, all ten classes, as ID; the 10,000 MNIST test digits as (far) OOD. */
export const FMNIST_VS_MNIST: OodConfigInput['configurations'][number] = {
  name: 'all-classes',
  description: 'ID: Fashion-MNIST, all 10 classes. OOD: the 10,000 MNIST test digits (far).',
  id: { dataset: 'fashion-mnist' },
  ood: [{ kind: 'dataset', name: 'MNIST', dataset: 'mnist' }],
};
