// The scene heatmaps section of a segmentation run's report.html (anomalib-style): one row per test
// scene with the scene, its ground-truth anomaly mask and each row's per-pixel anomaly heatmap,
// captioned with the method and its per-image AUROC on that scene.
import { escapeHtml } from '../../../core/report/html-report';
import { pngDataUri } from '../../../core/report/png';
import { heatmapRgb, type ScoreRange } from './heatmap';
import type { HeatmapScene, SceneHeatmaps } from './scene-heatmaps';

/** Longest side of a drawn image in image pixels: larger scenes (StreetHazards) are subsampled, so the page stays a few MB. */
export const MAX_DRAWN_SIDE = 256;
/** Displayed width of each image in CSS pixels (64x64 scenes drawn at 2.5x, pixelated). */
const DISPLAY_WIDTH_PX = 160;
/** Grey level of anomalous pixels in the mask image (normal pixels are black). */
const MASK_ON = 255;
/** Width in pixels of the colour-map legend. */
const LEGEND_STEPS = 128;

/** Every `stride`-th row and column of an image [h, w, channels] (nearest neighbour): [pixels, height, width]. */
export function subsample(
  pixels: Uint8Array,
  height: number,
  width: number,
  channels: number,
  stride: number,
): [Uint8Array, number, number] {
  if (stride <= 1) return [pixels, height, width];
  const h = Math.ceil(height / stride);
  const w = Math.ceil(width / stride);
  const out = new Uint8Array(h * w * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const from = (y * stride * width + x * stride) * channels;
      out.set(pixels.subarray(from, from + channels), (y * w + x) * channels);
    }
  }
  return [out, h, w];
}

function imageUri(pixels: Uint8Array, height: number, width: number, channels: 1 | 3, stride: number): string {
  const [drawn, h, w] = subsample(pixels, height, width, channels, stride);
  return pngDataUri(drawn, w, h, channels);
}

function formatScore(score: number): string {
  return Math.abs(score) >= 1e4 || (score !== 0 && Math.abs(score) < 1e-3) ? score.toExponential(2) : score.toPrecision(3);
}

function figure(src: string, aspect: number, alt: string, caption: string): string {
  const height = Math.round(DISPLAY_WIDTH_PX * aspect);
  return `<figure class="scene-heatmap" style="margin:0;text-align:center;font-size:.75em;max-width:${DISPLAY_WIDTH_PX}px"><img src="${src}" width="${DISPLAY_WIDTH_PX}" height="${height}" style="image-rendering:pixelated" alt="${escapeHtml(alt)}"><figcaption>${caption}</figcaption></figure>`;
}

function sceneRowHtml(heatmaps: SceneHeatmaps, scene: HeatmapScene, stride: number): string {
  const [height, width, channels] = heatmaps.shape;
  const aspect = height / width;
  const anomalous = scene.mask.reduce((n, m) => n + (m ? 1 : 0), 0);
  const figures = [
    figure(
      imageUri(scene.image, height, width, channels === 3 ? 3 : 1, stride),
      aspect,
      `test scene ${scene.scene}`,
      `test scene ${scene.scene}`,
    ),
    figure(
      imageUri(
        scene.mask.map((m) => (m ? MASK_ON : 0)),
        height,
        width,
        1,
        stride,
      ),
      aspect,
      `ground-truth anomaly mask of scene ${scene.scene}`,
      `ground truth: ${anomalous} anomalous pixels`,
    ),
    ...scene.methods.map((m) => {
      const auroc = `${(100 * m.auroc).toFixed(1)}`;
      return figure(
        imageUri(heatmapRgb(m.scores, heatmaps.ranges[m.method]!), height, width, 3, stride),
        aspect,
        `${m.method} anomaly heatmap of scene ${scene.scene}, per-image AUROC ${auroc}`,
        `${escapeHtml(m.method)}<br>AUROC ${auroc}`,
      );
    }),
  ];
  return `<div class="heatmap-row" id="heatmap-scene-${scene.scene}" style="display:flex;flex-wrap:wrap;gap:6px;margin-bottom:12px">${figures.join('')}</div>`;
}

function legendHtml(ranges: Record<string, ScoreRange>): string {
  const ramp = heatmapRgb(
    Float32Array.from({ length: LEGEND_STEPS }, (_, i) => i),
    { min: 0, max: LEGEND_STEPS - 1 },
  );
  const bar = `<img src="${pngDataUri(ramp, LEGEND_STEPS, 1, 3)}" width="${LEGEND_STEPS * 2}" height="12" style="image-rendering:pixelated;vertical-align:middle" alt="colour map from low (normal) to high (anomalous) score">`;
  const items = Object.entries(ranges).map(
    ([method, r]) => `<li>${escapeHtml(method)}: ${escapeHtml(formatScore(r.min))} to ${escapeHtml(formatScore(r.max))}</li>`,
  );
  return `<p>Colour map: ${bar} low score (normal) to high score (anomalous). Each method is normalized over the scenes shown, from its lowest to its highest score there:</p><ul class="heatmap-ranges">${items.join('')}</ul>`;
}

/** The body of the scene-heatmaps section. */
export function sceneHeatmapsHtml(heatmaps: SceneHeatmaps): string {
  const notes = heatmaps.notes.map((n) => `<p class="missing">${escapeHtml(n)}</p>`).join('');
  if (heatmaps.scenes.length === 0) return notes;
  const [height, width] = heatmaps.shape;
  const stride = Math.ceil(Math.max(height, width) / MAX_DRAWN_SIDE);
  const drawn =
    stride > 1 ? ` Scenes of ${height}x${width} are drawn with one pixel in ${stride} along each side; the AUROCs use every pixel.` : '';
  const intro = `<p>Trial ${heatmaps.trial}: ${heatmaps.scenes.length} test scene(s) holding both anomalous and normal pixels (the first such scenes), each with its ground-truth anomaly mask (white = anomalous) and, per method, its per-pixel anomaly score as a heatmap from the saved score maps (scores/), captioned with the method's per-image AUROC on that scene (anomalous pixels positive, in %).${drawn}</p>`;
  return `${intro}${legendHtml(heatmaps.ranges)}${notes}${heatmaps.scenes.map((s) => sceneRowHtml(heatmaps, s, stride)).join('\n')}`;
}
