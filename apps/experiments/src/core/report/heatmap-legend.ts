// The legend of report.html's anomaly heatmaps: the colour map as a bar, and per method the score
// range its colours were normalized by (the colours alone do not say which scores they stand for).
import { heatmapRgb, type ScoreRange } from './heatmap';
import { escapeHtml } from './html-report';
import { pngDataUri } from './png';

/** Width in pixels of the colour-map bar. */
const LEGEND_STEPS = 128;

/** A score in a few characters: 3 significant digits, exponent notation for very large or small magnitudes. */
export function formatScore(score: number): string {
  return Math.abs(score) >= 1e4 || (score !== 0 && Math.abs(score) < 1e-3) ? score.toExponential(2) : score.toPrecision(3);
}

/** The colour map, low (left) to high (right), as an inline image. */
export function heatmapColourBarHtml(): string {
  const ramp = heatmapRgb(
    Float32Array.from({ length: LEGEND_STEPS }, (_, i) => i),
    { min: 0, max: LEGEND_STEPS - 1 },
  );
  return `<img src="${pngDataUri(ramp, LEGEND_STEPS, 1, 3)}" width="${LEGEND_STEPS * 2}" height="12" style="image-rendering:pixelated;vertical-align:middle" alt="colour map from low (normal) to high (anomalous) score">`;
}

/** Each method's range, lowest to highest score, as a list. */
export function scoreRangesHtml(ranges: Record<string, ScoreRange>): string {
  const items = Object.entries(ranges).map(
    ([method, r]) => `<li>${escapeHtml(method)}: ${escapeHtml(formatScore(r.min))} to ${escapeHtml(formatScore(r.max))}</li>`,
  );
  return `<ul class="heatmap-ranges">${items.join('')}</ul>`;
}
