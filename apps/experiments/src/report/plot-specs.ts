import type { TopLevelSpec } from 'vega-lite';
import type { EmbeddingPlot, RocPlot, ScoreHistogram } from '../results/results-file';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Points drawn on the disk / circle outline. */
const OUTLINE_POINTS = 181;

/**
 * Anomaly-score densities, ID vs each OOD set, one panel per method (the paper's Fig. 5).
 * Densities integrate to 1 per set, so sets of different sizes compare.
 */
export function scoreDensitySpec(histograms: ScoreHistogram[]): TopLevelSpec {
  const values: { method: string; set: string; score: number; density: number }[] = [];
  for (const h of histograms) {
    for (const [set, counts] of Object.entries(h.counts)) {
      const total = counts.reduce((a, b) => a + b, 0);
      counts.forEach((count, i) => {
        const width = h.edges[i + 1]! - h.edges[i]!;
        values.push({ method: h.method, set, score: (h.edges[i]! + h.edges[i + 1]!) / 2, density: total > 0 && width > 0 ? count / total / width : 0 });
      });
    }
  }
  return {
    $schema: SCHEMA,
    title: 'Anomaly-score densities: ID vs OOD (higher score = more anomalous)',
    data: { values },
    facet: { field: 'method', type: 'nominal', title: null, sort: histograms.map((h) => h.method) },
    columns: 3,
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: 220,
      height: 140,
      mark: { type: 'area', interpolate: 'step', opacity: 0.45, line: true },
      encoding: {
        x: { field: 'score', type: 'quantitative', title: 'score' },
        y: { field: 'density', type: 'quantitative', title: 'density', stack: null },
        color: { field: 'set', type: 'nominal', title: 'set' },
      },
    },
  };
}

/** ROC curves (anomalous positive), one panel per OOD set, one line per method. */
export function rocSpec(curves: RocPlot[]): TopLevelSpec {
  const values = curves.flatMap((c) => c.fpr.map((fpr, i) => ({ method: c.method, oodSet: c.oodSet, fpr, tpr: c.tpr[i]!, order: i })));
  return {
    $schema: SCHEMA,
    title: 'ROC curves (OOD = positive)',
    data: { values },
    facet: { field: 'oodSet', type: 'nominal', title: null, sort: [...new Set(curves.map((c) => c.oodSet))] },
    columns: 3,
    spec: {
      width: 220,
      height: 220,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'fpr', type: 'quantitative', title: 'false positive rate', scale: { domain: [0, 1] } },
        y: { field: 'tpr', type: 'quantitative', title: 'true positive rate', scale: { domain: [0, 1] } },
        order: { field: 'order', type: 'quantitative' },
        color: { field: 'method', type: 'nominal', title: 'method', sort: [...new Set(curves.map((c) => c.method))] },
      },
    },
  };
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
          color: { field: 'set', type: 'nominal' as const, title: 'set' },
        },
      },
    ],
  } as TopLevelSpec;
}
