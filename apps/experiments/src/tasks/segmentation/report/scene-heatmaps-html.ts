// The scene heatmaps section of a segmentation run's report.html (anomalib-style): one row per test
// scene with the scene, its ground-truth anomaly mask and each row's per-pixel anomaly heatmap,
// captioned with the method and its per-image AUROC on that scene.
import { heatmapRgb } from '../../../core/report/heatmap';
import { heatmapColourBarHtml, scoreRangesHtml } from '../../../core/report/heatmap-legend';
import { escapeHtml } from '../../../core/report/html-report';
import { drawnImageUri, drawStride, imageFigureHtml } from '../../../core/report/image-figures';
import type { HeatmapScene, SceneHeatmaps } from './scene-heatmaps';

/** Grey level of anomalous pixels in the mask image (normal pixels are black). */
const MASK_ON = 255;

function figure(src: string, aspect: number, alt: string, caption: string): string {
  return imageFigureHtml({ src, aspect, alt, caption, className: 'scene-heatmap' });
}

function sceneRowHtml(heatmaps: SceneHeatmaps, scene: HeatmapScene, stride: number): string {
  const [height, width, channels] = heatmaps.shape;
  const aspect = height / width;
  const anomalous = scene.mask.reduce((n, m) => n + (m ? 1 : 0), 0);
  const figures = [
    figure(
      drawnImageUri(scene.image, height, width, channels === 3 ? 3 : 1, stride),
      aspect,
      `test scene ${scene.scene}`,
      `test scene ${scene.scene}`,
    ),
    figure(
      drawnImageUri(
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
        drawnImageUri(heatmapRgb(m.scores, heatmaps.ranges[m.method]!), height, width, 3, stride),
        aspect,
        `${m.method} anomaly heatmap of scene ${scene.scene}, per-image AUROC ${auroc}`,
        `${escapeHtml(m.method)}<br>AUROC ${auroc}`,
      );
    }),
  ];
  return `<div class="heatmap-row" id="heatmap-scene-${scene.scene}" style="display:flex;flex-wrap:wrap;gap:6px;margin-bottom:12px">${figures.join('')}</div>`;
}

/** The body of the scene-heatmaps section. */
export function sceneHeatmapsHtml(heatmaps: SceneHeatmaps): string {
  const notes = heatmaps.notes.map((n) => `<p class="missing">${escapeHtml(n)}</p>`).join('');
  if (heatmaps.scenes.length === 0) return notes;
  const [height, width] = heatmaps.shape;
  const stride = drawStride(height, width);
  const drawn =
    stride > 1 ? ` Scenes of ${height}x${width} are drawn with one pixel in ${stride} along each side; the AUROCs use every pixel.` : '';
  const intro = `<p>Trial ${heatmaps.trial}: ${heatmaps.scenes.length} test scene(s) holding both anomalous and normal pixels (the first such scenes), each with its ground-truth anomaly mask (white = anomalous) and, per method, its per-pixel anomaly score as a heatmap from the saved score maps (scores/), captioned with the method's per-image AUROC on that scene (anomalous pixels positive, in %).${drawn}</p>`;
  const legend = `<p>Colour map: ${heatmapColourBarHtml()} low score (normal) to high score (anomalous). Each method is normalized over the scenes shown, from its lowest to its highest score there:</p>${scoreRangesHtml(heatmaps.ranges)}`;
  return `${intro}${legend}${notes}${heatmaps.scenes.map((s) => sceneRowHtml(heatmaps, s, stride)).join('\n')}`;
}
