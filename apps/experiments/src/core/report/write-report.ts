import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultsFile } from '../results/results-file';
import { AVERAGE_OOD, METRIC_TITLES, summarizeConfiguration } from '../results/summarize';
import { slug } from '../slug';
import { writeFileAtomic } from '../store/write-file-atomic';
import { type BestMethod, bestMethods } from './best-methods';
import { configurationFigures } from './configuration-figures';
import { htmlReport, QUICK_BANNER, type ReportSection } from './html-report';
import { renderSvg } from './render-svg';
import { type ConfigFacts, isQuickRun } from './run-facts';
import { configurationTables, toCsv, toMarkdown } from './tables';
import type { TaskReportSections } from './task-sections';

export interface WriteReportOptions {
  /** The task's own report sections (Task.reportSections), placed before the configurations. */
  taskSections?: TaskReportSections;
  /** The run's results folder when the report is written elsewhere (`curvad report DIR --out`); default: `dir`. */
  resultsDir?: string;
}

export interface WrittenReport {
  markdown: string;
  files: string[];
}

function bestLines(best: BestMethod[]): string {
  return best
    .map(
      (b) =>
        `- ${b.metric === 'idAccuracy' ? 'ID acc. ↑' : METRIC_TITLES[b.metric]}: ${b.methods.join(', ')} (${(100 * b.cell.mean).toFixed(1)})`,
    )
    .join('\n');
}

function markdownReport(results: ResultsFile, sections: ReportSection[], tablesMarkdown: string[]): string {
  const banner = isQuickRun(results) ? `> ${QUICK_BANNER}\n\n` : '';
  const summary = sections
    .map(
      (s) =>
        `**${s.configuration}**: best method per metric, average over OOD sets (%)\n\n${s.best.length ? bestLines(s.best) : '- no completed trial'}`,
    )
    .join('\n\n');
  const body = sections.map((s, i) => `## ${s.configuration}\n\n${s.description}\n\n${tablesMarkdown[i]}`).join('\n\n');
  return `# ${results.experiment}\n\n${banner}## Summary\n\n${summary}\n\n${body}\n`;
}

/**
 * Writes tables.md, tables.csv, plots/*.svg and report.html into `dir` from a results file alone
 * (this is what `curvad report DIR` runs). Plots cover every completed trial that stored them.
 * Each configuration is summarized once (tables, figures, best methods and CSV share it);
 * `configFacts` is the task's reading of the recorded config (report.html's "Resolved config");
 * `options.taskSections` adds the task's own sections to report.html, read from `options.resultsDir`.
 */
export async function writeReport(
  dir: string,
  results: ResultsFile,
  configFacts?: ConfigFacts,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  await mkdir(join(dir, 'plots'), { recursive: true });
  const files: string[] = [];
  const sections: ReportSection[] = [];
  const tablesMarkdown: string[] = [];
  const summaries = results.configurations.map((config) => summarizeConfiguration(config));
  for (const [i, config] of results.configurations.entries()) {
    const rows = summaries[i]!;
    const id = `configuration-${slug(config.name)}`;
    const tables = configurationTables(config, rows);
    tablesMarkdown.push(tables.length ? tables.map(toMarkdown).join('\n\n') : '(no completed trial)');
    const { figures: plans, notes } = configurationFigures(config, rows);
    const figures: ReportSection['figures'] = [];
    for (const plan of plans) {
      const svg = await renderSvg(plan.spec);
      const file = join(dir, 'plots', `${slug(config.name)}-${slug(plan.name)}.svg`);
      await writeFileAtomic(file, svg);
      files.push(file);
      figures.push({ id: `${id}-${slug(plan.name)}`, heading: plan.heading, caption: plan.caption, svg });
    }
    const failures = config.trials
      .filter((t) => t.status === 'failed')
      .map((t) => ({ trial: t.trial, seed: t.seed, error: t.error ?? 'unknown error' }));
    const best = bestMethods(rows, AVERAGE_OOD);
    sections.push({ configuration: config.name, id, description: config.description, tables, best, figures, notes, failures });
  }
  const taskSections = options.taskSections ? await options.taskSections(results, { resultsDir: options.resultsDir ?? dir }) : [];
  const markdown = markdownReport(results, sections, tablesMarkdown);
  const outputs: [string, string][] = [
    ['tables.md', markdown],
    ['tables.csv', toCsv(results.configurations, summaries)],
    ['report.html', htmlReport(results, sections, configFacts, taskSections)],
  ];
  for (const [name, content] of outputs) {
    await writeFileAtomic(join(dir, name), content);
    files.push(join(dir, name));
  }
  return { markdown, files };
}
