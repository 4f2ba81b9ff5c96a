// The patch-svdd task's own section of report.html (Task.reportSections): per category a few test
// images with their defect mask and every row's anomaly heatmap side by side. Tables VIII and IX are
// their own files (write-tables.ts); the pixel score densities and ROC curves are the core's figures.
import type { TaskReportSection, TaskReportSections } from '../../../core/report/task-sections';
import type { ResultsFile } from '../../../core/results/results-file';
import { patchSvddConfigSchema } from '../config/patch-svdd-config';
import { categoryHeatmaps, type DefectHeatmapsOptions } from './defect-heatmaps';
import { defectHeatmapsHtml } from './defect-heatmaps-html';

export const DEFECT_HEATMAPS_SECTION = { id: 'defect-heatmaps', title: 'Test images: defect masks and anomaly heatmaps' } as const;

/** The hook with other heatmap options (images shown, the test-image loader). */
export function patchSvddReportSectionsWith(options: DefectHeatmapsOptions): TaskReportSections {
  return async (results: ResultsFile, context): Promise<TaskReportSection[]> => {
    // strip(): a config recorded by a later version with fields this one does not know still draws.
    const parsed = patchSvddConfigSchema.strip().safeParse(results.config);
    if (!parsed.success) return [];
    // reportImages 0 is the user asking for no heatmaps: no section at all.
    if ((options.images ?? parsed.data.reportImages) === 0) return [];
    const categories = [];
    // One category at a time: each loads its data and reads its score files, then keeps only the images shown.
    for (const configuration of results.configurations) {
      categories.push(await categoryHeatmaps(context.resultsDir, configuration, parsed.data, options));
    }
    return [{ ...DEFECT_HEATMAPS_SECTION, html: defectHeatmapsHtml(categories) }];
  };
}

/** The defect heatmaps of the config's reportImages test images per category (default 3). */
export const patchSvddReportSections: TaskReportSections = patchSvddReportSectionsWith({});
