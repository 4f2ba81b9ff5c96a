// The defect heatmaps section of a patch-svdd run's report.html (anomalib-style): per category, one
// row per test image with the image, its ground-truth defect mask, the mask's outline on the image
// and each row's anomaly heatmap, captioned with the method, its pixel AUROC on that image and the
// image's score (the maximum of its map, what the image AUROC ranks).
import { heatmapRgb } from '../../../core/report/heatmap';
import { formatScore, heatmapColourBarHtml, scoreRangesHtml } from '../../../core/report/heatmap-legend';
import { escapeHtml } from '../../../core/report/html-report';
import { drawnImageUri, drawStride, imageFigureHtml, subsample } from '../../../core/report/image-figures';
import { type PngOptions, pngDataUri } from '../../../core/report/png';
import type { CategoryHeatmaps, HeatmapImage, MethodMap } from './defect-heatmaps';
import { contourOverlayRgb } from './mask-contour';

/** Grey level of defect pixels in the mask image (normal pixels are black). */
export const MASK_ON = 255;
/** Deflated PNGs: a category shows up to 17 images a test image (up to 14 rows), 128-256 px a side, and stored PNGs would make the page tens of MB. */
const PNG: PngOptions = { compress: true };
const FIGURE_CLASS = 'defect-heatmap';

/** An anchor from a configuration name (MVTec AD categories and `class-<c>` are already safe; anything else is made so). */
export function categoryAnchor(configuration: string): string {
  return `defect-heatmaps-${configuration.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The id of a test image's row. */
export function imageRowId(configuration: string, index: number): string {
  return `${categoryAnchor(configuration)}-image-${index}`;
}

function imageRowHtml(heatmaps: CategoryHeatmaps, shown: HeatmapImage, stride: number): string {
  const [height, width, channels] = heatmaps.shape;
  const imageChannels = channels === 3 ? 3 : 1;
  const aspect = height / width;
  const name = heatmaps.configuration;
  const defects = shown.mask.reduce((n, m) => n + (m ? 1 : 0), 0);
  const figure = (src: string, alt: string, caption: string) => imageFigureHtml({ src, aspect, alt, caption, className: FIGURE_CLASS });
  const label = `${name} test image ${shown.index}`;
  const figures = [
    figure(
      drawnImageUri(shown.image, height, width, imageChannels, stride, PNG),
      label,
      `test image ${shown.index}<br>${shown.defective ? 'with a defect' : 'defect-free'}`,
    ),
    figure(
      drawnImageUri(
        shown.mask.map((m) => (m ? MASK_ON : 0)),
        height,
        width,
        1,
        stride,
        PNG,
      ),
      `ground-truth defect mask of ${label}`,
      `ground truth<br>${defects} defect pixels`,
    ),
    figure(drawnContourUri(shown, height, width, imageChannels, stride), `defect outline on ${label}`, 'defect outline'),
    ...shown.methods.map((m) => {
      const scores = `${methodScores(m)}max ${formatScore(m.max)}`;
      return figure(
        drawnImageUri(heatmapRgb(m.map, heatmaps.ranges[m.method]!), height, width, 3, stride, PNG),
        `${m.method} anomaly heatmap of ${label}, ${scores}`,
        `${escapeHtml(m.method)}<br>${escapeHtml(scores)}`,
      );
    }),
  ];
  return `<div class="heatmap-row" id="${imageRowId(name, shown.index)}" style="display:flex;flex-wrap:wrap;gap:6px;margin-bottom:12px">${figures.join('')}</div>`;
}

/** The caption's pixel AUROC (images with a defect) or why there is none, then a comma; empty for a defect-free image. */
function methodScores(m: MethodMap): string {
  if (m.nonFinite > 0) return `${m.nonFinite} non-finite scores, `;
  return m.auroc === null ? '' : `pixel AUROC ${(100 * m.auroc).toFixed(1)}, `;
}

/** The image with its mask's outline, both subsampled first, so the outline stays one drawn pixel wide and closed. */
function drawnContourUri(shown: HeatmapImage, height: number, width: number, channels: 1 | 3, stride: number): string {
  const [image, h, w] = subsample(shown.image, height, width, channels, stride);
  const [mask] = subsample(shown.mask, height, width, 1, stride);
  return pngDataUri(contourOverlayRgb(image, mask, h, w, channels), w, h, 3, PNG);
}

/** One category's part of the section: a heading, its notes, then its rows and its methods' ranges. */
export function categoryHeatmapsHtml(heatmaps: CategoryHeatmaps): string {
  const heading = `<h3 id="${categoryAnchor(heatmaps.configuration)}">${escapeHtml(heatmaps.configuration)}</h3>`;
  const notes = heatmaps.notes.map((n) => `<p class="missing">${escapeHtml(n)}</p>`).join('');
  if (heatmaps.images.length === 0) return `${heading}${notes}`;
  const [height, width] = heatmaps.shape;
  const stride = drawStride(height, width);
  const drawn =
    stride > 1 ? ` Images of ${height}x${width} are drawn with one pixel in ${stride} along each side; the scores use every pixel.` : '';
  const defective = heatmaps.images.filter((i) => i.defective).length;
  const intro = `<p>Trial ${heatmaps.trial}: ${heatmaps.images.length} of the ${heatmaps.testImages} test images (${defective} with a defect).${drawn} Each method's colours are normalized over its maps of all ${heatmaps.testImages} test images of ${escapeHtml(heatmaps.configuration)}, from its lowest to its highest score there:</p>`;
  const rows = heatmaps.images.map((i) => imageRowHtml(heatmaps, i, stride)).join('\n');
  return `${heading}${intro}${scoreRangesHtml(heatmaps.ranges)}${notes}${rows}`;
}

/** The body of the defect-heatmaps section: what it shows and the colour map, then every category. */
export function defectHeatmapsHtml(categories: CategoryHeatmaps[]): string {
  const links = categories.map((c) => `<a href="#${categoryAnchor(c.configuration)}">${escapeHtml(c.configuration)}</a>`).join(' · ');
  const intro = `<p>Per category, from its first completed trial, the first <code>reportImages</code> test images (a config field, default 3), those with a defect first: the test image, its ground-truth defect mask (white = defect), the mask's outline on the image and, per row of the tables (every model, with the dagger scoring and the Patch-SVDD scoring), its anomaly map as a heatmap from the saved maps (scores/), captioned with the pixel AUROC on that image (defect pixels positive, in %; only for images with a defect) and the image's score (the maximum of its map). The colours of a method are normalized over its maps of every test image of the category, so a dark heatmap is a low score for that method (images of one method compare; methods, whose scores live on different scales, do not).</p><p>Colour map: ${heatmapColourBarHtml()} low score (normal) to high score (anomalous).</p><p>Categories: ${links}</p>`;
  return `${intro}${categories.map(categoryHeatmapsHtml).join('\n')}`;
}
