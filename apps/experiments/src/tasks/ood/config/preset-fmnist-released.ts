import type { OodConfigInput } from './ood-config';
import { PAPER_CURVATURES } from './ood-config';
import { EXTRA_DETECTORS, FMNIST_VS_MNIST } from './preset-parts';

/** The released Fashion-MNIST CNN: 3x3 valid conv 32 + 2x2 max-pool, 3x3 valid conv 64 + 2x2 max-pool, dense 128 + ReLU. */
export const RELEASED_CNN = {
  name: 'conv-stack',
  options: {
    layers: [
      { filters: 32, kernelSize: 3, padding: 'valid', pool: { kind: 'max', size: 2 } },
      { filters: 64, kernelSize: 3, padding: 'valid', pool: { kind: 'max', size: 2 } },
    ],
    dense: [128],
  },
};

/** The margin of the released ToPoincare (hyptorch's clip to 1 - 1e-3 of the radius). */
export const RELEASED_POINCARE_MARGIN = 1e-3;

/**
 * The authors' released heads (github JHome1/GiO-GiT) on the released CNN (issue 14 item 1), to compare
 * with the maintainers' independent PyTorch reference of exactly this setup: Fashion-MNIST, all 10
 * classes and all 60,000 training images, the full test set, OOD = the 10,000 MNIST digits; input
 * standardized with the Fashion-MNIST training mean/std; 128-d embedding (the CNN's dense layer, no
 * projection); Adam 1e-3, batch 128, 5 epochs, 3 trials. Heads: E = dense; S = SphereFace's AngleLinear
 * (m = 1) on the raw feature; H = ToPoincare (expmap0, margin 1e-3, Riemannian gradient) + Ganea's MLR;
 * mixed heads give the whole feature to both spaces; the paper's curvatures; a GiT model trains on
 * l_E + l_G, a mixed head on the sum of its classifiers' cross-entropies. Rows: MSP, each GiO's
 * 1 - tanh(z), each GiT's tanh(KL) in the released direction (and the text's), ODIN, and MaxLogit,
 * energy, Mahalanobis and KNN on every model. ODIN's step then acts in standardized units, so it takes
 * Liang et al.'s 0.0014 for standardized inputs.
 */
export const fmnistReleased: OodConfigInput = {
  name: 'fmnist-released',
  configurations: [FMNIST_VS_MNIST],
  backbone: RELEASED_CNN,
  models: ['baseline', 'SiO', 'HiO', 'MiO', 'SiT', 'HiT', 'MiT'],
  detectors: { msp: true, odin: true, odinTemperature: 1000, odinEpsilon: 0.0014, odinHyperbolicEpsilon: 0.0014, ...EXTRA_DETECTORS },
  curvatures: PAPER_CURVATURES,
  sphereComposition: 'released',
  sphereVariant: 'sphereface',
  poincareMode: 'expmap0',
  poincareMargin: RELEASED_POINCARE_MARGIN,
  riemannianGradient: true,
  mlr: { gio: 'ganea', git: 'ganea' },
  productMode: { gio: 'duplicate', git: 'duplicate' },
  optimizer: { name: 'adam', learningRate: 1e-3 },
  data: { standardize: true },
  epochs: 5,
  batchSize: 128,
  trials: 3,
  seed: 0,
  limits: {},
};
