// The patch-svdd task (paper Sec. V-D, Tables VIII and IX) plugged into the core: one configuration
// per category, a unit one model of one trial, trained on defect-free images and scored pixel by
// pixel on test images with defects.
import type { Task } from '../../core/task';
import { categoryConfiguration, type PatchSvddConfig, withConfigDefaults } from './config/patch-svdd-config';
import { type LoadedPatchSvddData, loadPatchSvddData } from './data/load-data';
import { patchSvddConfigFacts } from './report/config-facts';
import { patchSvddReportSections } from './report/report-sections';
import { patchSvddTrialSummary } from './report/trial-summary';
import { runPatchSvddUnit } from './run-unit';
import { IMAGE_SET, PIXEL_SET } from './score/segmentation-metrics';

export const patchSvddTask: Task<PatchSvddConfig, LoadedPatchSvddData> = {
  name: 'patch-svdd',
  configurations: (config) =>
    config.categories.map((category) => ({
      name: categoryConfiguration(category),
      description:
        config.dataset === 'mvtec'
          ? `MVTec AD '${category}': defect-free training images; test images with the official defect masks.`
          : `Fashion-MNIST class ${category} as the object: defect-free training images; test images with synthetic defects (pixel-exact masks).`,
      idDataset: config.dataset,
      oodSets: [PIXEL_SET, IMAGE_SET],
    })),
  units: (config) => config.models,
  async loadData(config, name) {
    const data = await loadPatchSvddData(config, name);
    const [train, h, w] = data.train.shape;
    let defective = 0;
    for (const d of data.test.defective) defective += d;
    return {
      ...data,
      description: `${name}: ${train} training images and ${data.test.images.shape[0]} test images of ${h}x${w} (${defective} with a defect)`,
      stepsPerUnit: config.epochs * config.stepsPerEpoch,
    };
  },
  runUnit: runPatchSvddUnit,
  withConfigDefaults,
  configFacts: patchSvddConfigFacts,
  trialSummary: patchSvddTrialSummary,
  reportSections: patchSvddReportSections,
};
