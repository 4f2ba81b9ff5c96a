// The multi-class OOD task (paper Sec. V-A, Tables III and IV) plugged into the core: a unit is one
// model of one trial, trained on the ID classes and scored on the ID test set and every OOD set.
import type { LoadedData, Task } from '../../core/task';
import { ExperimentError } from '../../experiment-error';
import { type OodConfig, withConfigDefaults } from './config/ood-config';
import { type ConfigurationData, loadConfigurationData } from './data/load-data';
import { checkBackbone } from './model/check-backbone';
import { checkElocFolds } from './model/eloc-models';
import { oodConfigFacts } from './report/config-facts';
import { oodTrialSummary } from './report/trial-summary';
import { runUnit } from './run-unit';
import { checkKnnK } from './score/score-model';

export type OodData = ConfigurationData & LoadedData;

function describeData(data: ConfigurationData): string {
  const standardized = data.inputStandardization
    ? `; standardized with mean [${data.inputStandardization.mean.map((m) => m.toFixed(4)).join(', ')}], std [${data.inputStandardization.std.map((s) => s.toFixed(4)).join(', ')}]`
    : '';
  return `${data.train.shape[0]} training and ${data.test.shape[0]} test images (${data.classes} classes); OOD: ${data.ood.map((o) => `${o.name} ${o.images.shape[0]}`).join(', ')}${standardized}`;
}

export const oodTask: Task<OodConfig, OodData> = {
  name: 'ood',
  configurations: (config) =>
    config.configurations.map((c) => ({
      name: c.name,
      description: c.description,
      idDataset: c.id.dataset + (c.id.classes ? ` classes ${c.id.classes.join(',')}` : ''),
      oodSets: c.ood.map((o) => o.name),
    })),
  units: (config) => config.models,
  async loadData(config, name) {
    const configuration = config.configurations.find((c) => c.name === name);
    if (!configuration) throw new ExperimentError(`the config has no configuration '${name}'.`);
    const data = await loadConfigurationData(config, configuration);
    // Refused before any training rather than when the first model is built or scored.
    const [, height, width, channels] = data.train.shape;
    checkBackbone(config, [height, width, channels]);
    checkKnnK(config, data.train.shape[0], config.detectors.knn);
    checkElocFolds(config, data.classes);
    return {
      ...data,
      description: describeData(data),
      stepsPerUnit: config.epochs * Math.ceil(data.train.shape[0] / config.batchSize),
    };
  },
  runUnit,
  withConfigDefaults,
  configFacts: oodConfigFacts,
  trialSummary: oodTrialSummary,
};
