// Run from the repo: cd packages/metrics && pnpm build && node examples/quick-start.mjs
import {
  aupro,
  downsampleCurve,
  evaluate,
  formatTableCell,
  perImagePixelMetrics,
  pooledPixelMetrics,
  rocCurve,
  summarizeTrials,
} from '@curvad/metrics';

// Image-level OOD detection: higher score = more anomalous, label 1 = anomalous (OOD).
const scores = Float32Array.from([0.1, 0.4, 0.35, 0.8, 0.05, 0.7]);
const labels = [0, 0, 1, 1, 0, 1];
console.log(evaluate(scores, labels));
// { auroc: 0.888..., auprIn: 0.916..., auprOut: 0.916..., fpr95: 0.333..., detectionError: 0.166... }

// A curve for plotting, cut down to at most 100 points; its `auroc` is the full curve's.
const roc = downsampleCurve(rocCurve(scores, labels), 100);
console.log(roc.fpr.length, roc.auroc);

// Pixel level: two 2x2 images stacked as [images, height, width].
const data = {
  anomalyMaps: Float32Array.from([0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.1, 0.6]),
  masks: Uint8Array.from([1, 0, 0, 0, 0, 1, 0, 0]),
  shape: [2, 2, 2],
};
console.log(pooledPixelMetrics(data).auroc, perImagePixelMetrics(data).mean.auroc, aupro(data));

// Five trials of one table cell.
const trials = [0.948, 0.951, 0.944, 0.953, 0.946];
console.log(formatTableCell(trials), summarizeTrials(trials, { seed: 1 }).interval);
