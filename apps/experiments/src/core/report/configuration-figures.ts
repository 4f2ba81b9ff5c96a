import type { TopLevelSpec } from 'vega-lite';
import type { ConfigurationResult, RocPlot, TrialResult } from '../results/results-file';
import { type SummaryRow, summarizeConfiguration } from '../results/summarize';
import { poolHistograms, rocGrid, tprAt } from './plot-data-summary';
import { embeddingSpec, type RocPanel, rocSpec, scoreDensitySpec, type TrainingRow, trainingSpec } from './plot-specs';
import { NOT_RECORDED } from './run-facts';

export interface FigurePlan {
  /** File name part: plots/<configuration>-<name>.svg. */
  name: string;
  /** Anchor id part and the heading in the table of contents. */
  heading: string;
  caption: string;
  spec: TopLevelSpec;
}

export interface ConfigurationFigures {
  figures: FigurePlan[];
  /** What could not be drawn and why (the report prints these instead of drawing nothing silently). */
  notes: string[];
}

function trialList(trials: TrialResult[]): string {
  const ids = trials.map((t) => t.trial);
  return ids.length === 1 ? `trial ${ids[0]}` : `trials ${ids.join(', ')}`;
}

function rocPanels(config: ConfigurationResult, plotted: TrialResult[], methodOrder: string[]): RocPanel[] {
  const grid = rocGrid();
  return config.oodSets.flatMap((oodSet) => {
    const entries = methodOrder.flatMap((method) => {
      const curves = plotted.flatMap((t) => {
        const roc = t.plots!.roc.find((r) => r.method === method && r.oodSet === oodSet);
        if (!roc) return [];
        const auroc = roc.auroc ?? t.methods.find((m) => m.method === method)?.perOod[oodSet]?.auroc;
        return [{ trial: t.trial, roc, auroc }];
      });
      if (curves.length === 0) return [];
      const aurocs = curves.map((c) => c.auroc).filter((a): a is number => a !== undefined);
      const mean = aurocs.reduce((a, b) => a + b, 0) / aurocs.length;
      const label = aurocs.length ? `${method} (AUROC ${(100 * mean).toFixed(1)}%)` : `${method} (AUROC ${NOT_RECORDED})`;
      const points = curves.flatMap((c: { trial: number; roc: RocPlot }) =>
        grid.map((fpr) => ({ fpr, tpr: tprAt(c.roc, fpr), trial: c.trial })),
      );
      return [{ label, styleIndex: methodOrder.indexOf(method), points }];
    });
    return entries.length ? [{ oodSet, entries, trials: plotted.length }] : [];
  });
}

function trainingRows(trials: TrialResult[]): TrainingRow[] {
  return trials.flatMap((t) =>
    Object.entries(t.training ?? {}).flatMap(([model, epochs]) =>
      epochs.map((e) => ({
        model,
        trial: t.trial,
        epoch: e.epoch + 1,
        loss: e.loss,
        ...(e.idAccuracy === undefined ? {} : { idAccuracy: e.idAccuracy }),
      })),
    ),
  );
}

/**
 * The plots of one configuration over EVERY completed trial that recorded them: mean ROC with a band,
 * score histograms pooled over trials, training curves, and the 2-D embeddings of the first trial.
 */
export function configurationFigures(
  config: ConfigurationResult,
  summary: SummaryRow[] = summarizeConfiguration(config),
): ConfigurationFigures {
  const completed = config.trials.filter((t) => t.status === 'completed');
  // The section says it has no completed trial; there is nothing to draw or to explain here.
  if (completed.length === 0) return { figures: [], notes: [] };
  const plotted = completed.filter((t) => t.plots);
  const methodOrder = summary.map((r) => r.method);
  const figures: FigurePlan[] = [];
  const notes: string[] = [];
  const unplotted = completed.filter((t) => !t.plots);
  if (plotted.length === 0) notes.push(`ROC curves and score histograms: ${NOT_RECORDED} (no completed trial stored plots).`);
  else if (unplotted.length > 0)
    notes.push(
      `Plots use ${trialList(plotted)}; those of ${trialList(unplotted)} were ${NOT_RECORDED} (older runs kept plots of the first trial only).`,
    );

  if (plotted.length) {
    const panels = rocPanels(config, plotted, methodOrder);
    if (panels.length) {
      figures.push({
        name: 'roc',
        heading: 'ROC curves',
        caption: `ROC curves, OOD = positive (${trialList(plotted)}${plotted.length > 1 ? '; mean TPR on a 0.01 FPR grid, band +- 1 std over trials' : ''}). Dashed grey: chance. The legend gives each method's AUROC on that set (mean over the plotted trials).`,
        spec: rocSpec(panels),
      });
    }
    const methods = methodOrder.filter((m) => plotted.some((t) => t.plots!.histograms.some((h) => h.method === m)));
    const pooled = methods.map((m) => poolHistograms(plotted.flatMap((t) => t.plots!.histograms.filter((h) => h.method === m))));
    if (pooled.length) {
      const sets = ['ID', ...config.oodSets].filter((s) => pooled.some((h) => h.counts[s]));
      figures.push({
        name: 'score-densities',
        heading: 'Score densities',
        caption: `Anomaly-score densities, ID vs OOD (${trialList(plotted)}${plotted.length > 1 ? ', pooled' : ''}); each panel lists the scores outside its plotted range.`,
        spec: scoreDensitySpec(pooled, sets),
      });
    }
    const withEmbeddings = plotted.find((t) => t.plots!.embeddings.length);
    for (const e of withEmbeddings?.plots?.embeddings ?? []) {
      figures.push({
        name: `embedding-${e.model}`,
        heading: `Embedding ${e.model}`,
        caption: `2-D embedding of ${e.model} (trial ${withEmbeddings!.trial}).`,
        spec: embeddingSpec(e),
      });
    }
  }

  const rows = trainingRows(completed);
  if (rows.length) {
    const models = [...new Set(rows.map((r) => r.model))];
    const trialsWith = completed.filter((t) => t.training && Object.keys(t.training).length);
    const accuracy = rows.some((r) => r.idAccuracy !== undefined) ? ' and ID test accuracy' : ' (ID accuracy per epoch was not measured)';
    figures.push({
      name: 'training',
      heading: 'Training curves',
      caption: `Training loss${accuracy} per epoch per model (${trialList(trialsWith)}).`,
      spec: trainingSpec(rows, models, trialsWith.length),
    });
  } else {
    notes.push(`Training curves: ${NOT_RECORDED} (results.json has no per-epoch loss; runs record it from this version on).`);
  }
  return { figures, notes };
}
