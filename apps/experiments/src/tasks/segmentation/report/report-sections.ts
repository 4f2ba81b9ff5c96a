// The segmentation task's own section of report.html (Task.reportSections): a few test scenes with
// the ground-truth anomaly mask and every method's per-pixel anomaly heatmap side by side. The
// per-pixel score densities and ROC curves are the core's per-configuration figures.
import type { TaskReportSection, TaskReportSections } from '../../../core/report/task-sections';
import type { ResultsFile } from '../../../core/results/results-file';
import { segmentationConfigSchema } from '../config/segmentation-config';
import { type SceneHeatmapsOptions, sceneHeatmaps } from './scene-heatmaps';
import { sceneHeatmapsHtml } from './scene-heatmaps-html';

/** The hook with other heatmap options (scenes shown, the scene loader). */
export function segmentationReportSectionsWith(options: SceneHeatmapsOptions): TaskReportSections {
  return async (results: ResultsFile, context): Promise<TaskReportSection[]> => {
    const parsed = segmentationConfigSchema.strip().safeParse(results.config);
    if (!parsed.success) return [];
    if (results.configurations.every((c) => c.trials.every((t) => t.status !== 'completed'))) return [];
    const heatmaps = await sceneHeatmaps(context.resultsDir, results, parsed.data, options);
    return [
      {
        id: 'scene-heatmaps',
        title: 'Test scenes: anomaly masks and heatmaps',
        html: sceneHeatmapsHtml(heatmaps),
      },
    ];
  };
}

/** The scene heatmaps of the config's reportScenes test scenes (default 4). */
export const segmentationReportSections: TaskReportSections = segmentationReportSectionsWith({});
