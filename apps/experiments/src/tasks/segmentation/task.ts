// The segmentation task (paper Sec. V-C, Table VII) plugged into the core: one configuration (the
// run's scenes), a unit one model of one trial, trained on scenes of known classes and scored pixel
// by pixel on test scenes holding unknown objects.
import type { Task } from '../../core/task';
import { ExperimentError } from '../../experiment-error';
import { SEGMENTATION_CONFIGURATION, type SegmentationConfig, withConfigDefaults } from './config/segmentation-config';
import { type LoadedSegmentationData, loadSegmentationData } from './data/load-data';
import { segmentationConfigFacts } from './report/config-facts';
import { segmentationReportSections } from './report/report-sections';
import { segmentationTrialSummary } from './report/trial-summary';
import { runSegmentationUnit } from './run-unit';
import { PER_IMAGE_SET, POOLED_SET } from './score/pixel-protocol';

export const segmentationTask: Task<SegmentationConfig, LoadedSegmentationData> = {
  name: 'segmentation',
  configurations: (config) => [
    {
      name: SEGMENTATION_CONFIGURATION,
      description:
        config.dataset === 'fmnist-scenes'
          ? 'Known: Fashion-MNIST items and background, pixel by pixel; anomalous: the pixels of MNIST digits in the test scenes. ID accuracy = mIoU of the known classes.'
          : 'StreetHazards: 12 known classes; anomalous: the anomaly class of the test scenes. ID accuracy = mIoU of the known classes.',
      idDataset: config.dataset,
      oodSets: [PER_IMAGE_SET, POOLED_SET],
    },
  ],
  units: (config) => config.models,
  async loadData(config, name) {
    if (name !== SEGMENTATION_CONFIGURATION)
      throw new ExperimentError(`a segmentation run has one configuration, '${SEGMENTATION_CONFIGURATION}', not '${name}'.`);
    const data = await loadSegmentationData(config);
    const [train, h, w] = data.train.images.shape;
    let anomalous = 0;
    for (const m of data.test.masks) anomalous += m;
    return {
      ...data,
      description: `${train} training scenes and ${data.test.images.shape[0]} test scenes of ${h}x${w}, ${data.classes} known classes; ${anomalous} anomalous test pixels`,
      stepsPerUnit: config.epochs * Math.ceil(train / config.batchSize),
    };
  },
  runUnit: runSegmentationUnit,
  withConfigDefaults,
  configFacts: segmentationConfigFacts,
  trialSummary: segmentationTrialSummary,
  reportSections: segmentationReportSections,
};
