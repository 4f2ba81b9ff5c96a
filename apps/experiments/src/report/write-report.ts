import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultsFile } from '../results/results-file';
import { htmlReport, type ReportSection } from './html-report';
import { embeddingSpec, rocSpec, scoreDensitySpec } from './plot-specs';
import { renderSvg } from './render-svg';
import { configurationTables, toCsv, toMarkdown } from './tables';
import { slug } from '../slug';

/** Writes a file atomically: a reader never sees half a file, and a crash leaves the old one. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, content);
  await rename(temp, path);
}

export interface WrittenReport {
  markdown: string;
  files: string[];
}


/**
 * Writes tables.md, tables.csv, plots/*.svg and report.html into `dir` from a results file alone
 * (this is what `curvad report DIR` runs). Plots come from the first completed trial that has them.
 */
export async function writeReport(dir: string, results: ResultsFile): Promise<WrittenReport> {
  await mkdir(join(dir, 'plots'), { recursive: true });
  const files: string[] = [];
  const sections: ReportSection[] = [];
  const markdownParts: string[] = [];
  for (const config of results.configurations) {
    const tables = configurationTables(config);
    markdownParts.push(`## ${config.name}\n\n${config.description}\n\n${tables.map(toMarkdown).join('\n\n')}`);
    const plotted = config.trials.find((t) => t.status === 'completed' && t.plots);
    const figures: ReportSection['figures'] = [];
    if (plotted?.plots) {
      const specs = [
        { name: 'score-densities', caption: `Anomaly-score densities, ID vs OOD (trial ${plotted.trial}).`, spec: plotted.plots.histograms.length ? scoreDensitySpec(plotted.plots.histograms) : null },
        { name: 'roc', caption: `ROC curves (trial ${plotted.trial}).`, spec: plotted.plots.roc.length ? rocSpec(plotted.plots.roc) : null },
        ...plotted.plots.embeddings.map((e) => ({ name: `embedding-${e.model}`, caption: `2-D embedding of ${e.model} (trial ${plotted.trial}).`, spec: embeddingSpec(e) })),
      ];
      for (const { name, caption, spec } of specs) {
        if (!spec) continue;
        const svg = await renderSvg(spec);
        const file = join(dir, 'plots', `${slug(config.name)}-${slug(name)}.svg`);
        await writeFileAtomic(file, svg);
        files.push(file);
        figures.push({ caption, svg });
      }
    }
    const failures = config.trials.filter((t) => t.status === 'failed').map((t) => ({ trial: t.trial, seed: t.seed, error: t.error ?? 'unknown error' }));
    sections.push({ configuration: config.name, description: config.description, tables, figures, failures });
  }
  const markdown = `# ${results.experiment}\n\n${markdownParts.join('\n\n')}\n`;
  const outputs: [string, string][] = [
    ['tables.md', markdown],
    ['tables.csv', toCsv(results.configurations)],
    ['report.html', htmlReport(results, sections)],
  ];
  for (const [name, content] of outputs) {
    await writeFileAtomic(join(dir, name), content);
    files.push(join(dir, name));
  }
  return { markdown, files };
}
