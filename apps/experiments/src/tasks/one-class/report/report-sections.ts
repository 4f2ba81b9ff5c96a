// The one-class task's own sections of report.html (Task.reportSections): Table VI, then the
// example images with the highest and lowest anomaly scores per normal class.
import type { TaskReportSection, TaskReportSections } from '../../../core/report/task-sections';
import type { ResultsFile } from '../../../core/results/results-file';
import { oneClassConfigSchema } from '../config/one-class-config';
import { type ExampleImagesOptions, exampleImagesHtml } from './example-images';
import { tableViHtml } from './table-vi-section';

/** The hook with other example-image options (rows, images per end, the image loader). */
export function oneClassReportSectionsWith(options: ExampleImagesOptions): TaskReportSections {
  return async (results: ResultsFile, context): Promise<TaskReportSection[]> => {
    const parsed = oneClassConfigSchema.strip().safeParse(results.config);
    if (!parsed.success) return [];
    if (results.configurations.every((c) => c.trials.every((t) => t.status !== 'completed'))) return [];
    return [
      { id: 'table-vi', title: 'Table VI', html: tableViHtml(results) },
      {
        id: 'example-images',
        title: 'Example images: highest and lowest anomaly scores',
        html: await exampleImagesHtml(results, parsed.data, context.resultsDir, options),
      },
    ];
  };
}

/** Table VI and the example images (default rows: RotNet and the best GiT row, 8 images at each end). */
export const oneClassReportSections: TaskReportSections = oneClassReportSectionsWith({});
