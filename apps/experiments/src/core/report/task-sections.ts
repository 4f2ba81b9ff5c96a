// A task's own parts of report.html (the one-class task's Table VI and example images): the core
// places them after the provenance and before the per-configuration sections, and lists them in
// the contents. A task without them leaves the page as it was.
import type { ResultsFile } from '../results/results-file';

export interface TaskReportSection {
  /** Anchor of the section (unique in the page; the per-configuration sections use `configuration-*`). */
  id: string;
  /** The section's heading and its entry in the contents. */
  title: string;
  /** The section's body: HTML the task built (escape its text with `escapeHtml`; tables with `tableHtml`). */
  html: string;
}

export interface TaskReportContext {
  /** The run's results folder (its scores/ and units/), which may differ from where the report is written (`curvad report --out`). */
  resultsDir: string;
}

/** A task's extra report sections for its results, in page order; [] when it has none for them. */
export type TaskReportSections = (results: ResultsFile, context: TaskReportContext) => Promise<TaskReportSection[]>;
