import type { TopLevelSpec } from 'vega-lite';
import type { EmbeddingPlot } from '../results/results-file';
import { styleScales } from './palette';
import type { PooledHistogram } from './plot-data-summary';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Points drawn on the disk / circle outline. */
const OUTLINE_POINTS = 181;
/** Panels per row in the faceted plots. */
const PANEL_COLUMNS = 3;
/** Legends list every entry with its whole label (vega truncates labels at 160 px by default). */
const FULL_LEGEND = { labelLimit: 0, symbolLimit: 0, symbolStrokeWidth: 2.5, symbolType: 'stroke', symbolOpacity: 1 } as const;
/** The same for point marks (a filled circle per entry). */
const FULL_POINT_LEGEND = { labelLimit: 0, symbolLimit: 0, symbolType: 'circle', symbolOpacity: 1 } as const;
/** Legend labels longer than this put the ROC panels one per row, so a panel and its legend fit the page. */
const LONG_LABEL = 42;
/** Fill opacity of the mean +- std bands over trials. */
const BAND_OPACITY = 0.12;

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}

/** The lines under a histogram panel's title: how many scores lie outside the plotted range. */
function clippedLines(h: PooledHistogram, sets: string[]): string[] {
  if (!h.clipped) return ['scores outside the range are counted in the end bins (how many: not recorded in this run)'];
  const parts = sets.flatMap((set) => {
    const below = h.clipped!.below[set] ?? 0;
    const above = h.clipped!.above[set] ?? 0;
    if (below + above === 0) return [];
    const total = (h.counts[set] ?? []).reduce((a, b) => a + b, 0) + below + above;
    return [`${set}: ${below} below (${percent(below / total)}), ${above} above (${percent(above / total)})`];
  });
  return parts.length ? ['outside the plotted range, not drawn:', ...parts] : ['every score lies inside the plotted range'];
}

/**
 * Anomaly-score densities, ID vs each OOD set, one panel per method (the paper's Fig. 5). Densities
 * are fractions of ALL a set's scores per unit score, so the area drawn is the share inside the range
 * and the scores outside it are listed under the panel's title, not piled into the end bins.
 */
export function scoreDensitySpec(histograms: PooledHistogram[], sets: string[]): TopLevelSpec {
  const scales = styleScales(sets);
  return {
    $schema: SCHEMA,
    title: 'Anomaly-score densities: ID vs OOD (higher score = more anomalous)',
    columns: PANEL_COLUMNS,
    concat: histograms.map((h) => {
      const values: { set: string; score: number; density: number }[] = [];
      for (const [set, counts] of Object.entries(h.counts)) {
        const clipped = (h.clipped?.below[set] ?? 0) + (h.clipped?.above[set] ?? 0);
        const total = counts.reduce((a, b) => a + b, 0) + clipped;
        counts.forEach((count, i) => {
          const width = h.edges[i + 1]! - h.edges[i]!;
          values.push({ set, score: (h.edges[i]! + h.edges[i + 1]!) / 2, density: total > 0 && width > 0 ? count / total / width : 0 });
        });
      }
      return {
        title: { text: h.method, subtitle: clippedLines(h, sets), subtitleFontSize: 9, anchor: 'start' as const },
        width: 230,
        height: 130,
        data: { values },
        mark: { type: 'area' as const, interpolate: 'step' as const, opacity: 0.45, line: true },
        encoding: {
          x: { field: 'score', type: 'quantitative' as const, title: 'score' },
          y: { field: 'density', type: 'quantitative' as const, title: 'density', stack: null },
          color: { field: 'set', type: 'nominal' as const, title: 'set', scale: scales.color, legend: FULL_LEGEND },
        },
      };
    }),
  } as TopLevelSpec;
}

export interface RocPanel {
  oodSet: string;
  /** One entry per method: its legend label (with AUROC), style index and curve points of every plotted trial. */
  entries: { label: string; styleIndex: number; points: { fpr: number; tpr: number; trial: number }[] }[];
  trials: number;
}

/**
 * ROC curves (OOD = positive), one panel per OOD set: per method the mean TPR over trials on a
 * shared FPR grid, a +- 1 std band when there are several trials, and the chance diagonal.
 */
export function rocSpec(panels: RocPanel[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: 'ROC curves (OOD = positive)',
    columns: panels.some((p) => p.entries.some((e) => e.label.length > LONG_LABEL)) ? 1 : 2,
    resolve: { scale: { color: 'independent', strokeDash: 'independent' }, legend: { color: 'independent', strokeDash: 'independent' } },
    concat: panels.map((panel) => {
      const labels = panel.entries.map((e) => e.label);
      const scales = styleScales(
        labels,
        panel.entries.map((e) => e.styleIndex),
      );
      const values = panel.entries.flatMap((e) => e.points.map((p) => ({ method: e.label, ...p })));
      const axes = {
        x: { field: 'fpr', type: 'quantitative' as const, title: 'false positive rate', scale: { domain: [0, 1] } },
        y: { field: 'tpr', type: 'quantitative' as const, title: 'true positive rate', scale: { domain: [0, 1] } },
      };
      const method = { field: 'method', type: 'nominal' as const, sort: labels };
      return {
        title: `${panel.oodSet}${panel.trials > 1 ? ` (mean over ${panel.trials} trials, band: +- 1 std)` : ''}`,
        width: 240,
        height: 240,
        layer: [
          {
            data: {
              values: [
                { fpr: 0, tpr: 0 },
                { fpr: 1, tpr: 1 },
              ],
            },
            mark: { type: 'line' as const, color: '#999', strokeDash: [4, 4], strokeWidth: 1, description: 'chance diagonal', aria: true },
            encoding: axes,
          },
          ...(panel.trials > 1
            ? [
                {
                  data: { values },
                  mark: { type: 'errorband' as const, extent: 'stdev' as const, opacity: BAND_OPACITY },
                  encoding: {
                    x: axes.x,
                    y: { ...axes.y, title: 'true positive rate' },
                    color: { ...method, title: 'method (AUROC)', scale: scales.color, legend: FULL_LEGEND },
                  },
                },
              ]
            : []),
          {
            data: { values },
            mark: { type: 'line' as const, strokeWidth: 1.6 },
            encoding: {
              x: axes.x,
              y: { ...axes.y, aggregate: 'mean' as const },
              color: { ...method, title: 'method (AUROC)', scale: scales.color, legend: FULL_LEGEND },
              strokeDash: { ...method, title: 'method (AUROC)', scale: scales.strokeDash, legend: FULL_LEGEND },
            },
          },
        ],
      };
    }),
  } as TopLevelSpec;
}

export interface TrainingRow {
  model: string;
  trial: number;
  /** 1-based, as a reader counts epochs. */
  epoch: number;
  loss: number;
  idAccuracy?: number;
}

/** Training curves: mean loss (and ID accuracy where measured) per epoch per model, +- 1 std over trials. */
export function trainingSpec(rows: TrainingRow[], models: string[], trials: number): TopLevelSpec {
  const scales = styleScales(models);
  const panel = (field: 'loss' | 'idAccuracy', title: string) => {
    const values = rows.filter((r) => r[field] !== undefined);
    const color = { field: 'model', type: 'nominal' as const, sort: models, title: 'model' };
    const x = { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1 } };
    return {
      title: `${title}${trials > 1 ? ` (mean over ${trials} trials, band: +- 1 std)` : ''}`,
      width: 300,
      height: 200,
      data: { values },
      layer: [
        ...(trials > 1
          ? [
              {
                mark: { type: 'errorband' as const, extent: 'stdev' as const, opacity: BAND_OPACITY },
                encoding: {
                  x,
                  y: { field, type: 'quantitative' as const, title },
                  color: { ...color, scale: scales.color, legend: FULL_LEGEND },
                },
              },
            ]
          : []),
        {
          mark: { type: 'line' as const, point: true, strokeWidth: 1.6 },
          encoding: {
            x,
            y: { field, type: 'quantitative' as const, aggregate: 'mean' as const, title, scale: { zero: false } },
            color: { ...color, scale: scales.color, legend: FULL_LEGEND },
            strokeDash: { ...color, scale: scales.strokeDash, legend: FULL_LEGEND },
          },
        },
      ],
    };
  };
  const hasAccuracy = rows.some((r) => r.idAccuracy !== undefined);
  return {
    $schema: SCHEMA,
    title: 'Training curves',
    hconcat: [panel('loss', 'training loss'), ...(hasAccuracy ? [panel('idAccuracy', 'ID test accuracy')] : [])],
  } as TopLevelSpec;
}

/** ID and OOD embeddings in the Poincare disk, on the circle, or in the plane (the paper's Fig. 2). */
export function embeddingSpec(plot: EmbeddingPlot): TopLevelSpec {
  const outline =
    plot.radius === undefined
      ? []
      : Array.from({ length: OUTLINE_POINTS }, (_, i) => {
          const angle = (2 * Math.PI * i) / (OUTLINE_POINTS - 1);
          return { x: plot.radius! * Math.cos(angle), y: plot.radius! * Math.sin(angle), order: i };
        });
  const geometryName = { euclidean: 'Euclidean plane', poincare: 'Poincare disk', sphere: 'circle (1-sphere)' }[plot.geometry];
  const sets = [...new Set(plot.points.map((p) => p.set))];
  return {
    $schema: SCHEMA,
    title: `${plot.model}: 2-D embeddings in the ${geometryName}`,
    width: 300,
    height: 300,
    layer: [
      ...(outline.length
        ? [
            {
              data: { values: outline },
              mark: { type: 'line' as const, color: '#888', strokeWidth: 1 },
              encoding: {
                x: { field: 'x', type: 'quantitative' as const, title: 'e1' },
                y: { field: 'y', type: 'quantitative' as const, title: 'e2' },
                order: { field: 'order', type: 'quantitative' as const },
              },
            },
          ]
        : []),
      {
        data: { values: plot.points },
        mark: { type: 'point' as const, filled: true, size: 12, opacity: 0.6 },
        encoding: {
          x: { field: 'x', type: 'quantitative' as const, title: 'e1' },
          y: { field: 'y', type: 'quantitative' as const, title: 'e2' },
          color: { field: 'set', type: 'nominal' as const, title: 'set', scale: styleScales(sets).color, legend: FULL_POINT_LEGEND },
        },
      },
    ],
  } as TopLevelSpec;
}
