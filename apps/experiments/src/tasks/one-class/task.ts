// The one-class task (paper Sec. V-B, Table VI) plugged into the core: a configuration is one
// normal class (class-<c>), a unit one RotNet model of one trial, trained on that class's
// training images and scored on the whole test split (the class normal, the others anomalous).
import type { Task } from '../../core/task';
import { ExperimentError } from '../../experiment-error';
import { configurationName, type OneClassConfig, withConfigDefaults } from './config/one-class-config';
import { ANOMALOUS_SET, type LoadedOneClassData, loadOneClassData } from './data/load-data';
import { classLabel, className } from './report/class-names';
import { oneClassConfigFacts } from './report/config-facts';
import { oneClassReportSections } from './report/report-sections';
import { oneClassTrialSummary } from './report/trial-summary';
import { runOneClassUnit } from './run-unit';

export const oneClassTask: Task<OneClassConfig, LoadedOneClassData> = {
  name: 'one-class',
  configurations: (config) =>
    config.normalClasses.map((c) => ({
      name: configurationName(c),
      description: `Normal: ${config.dataset} class ${c} (${className(config.dataset, c)}), its training images in four rotations; anomalous: the test images of the other classes.`,
      idDataset: classLabel(config.dataset, c),
      oodSets: [ANOMALOUS_SET],
    })),
  units: (config) => config.models,
  async loadData(config, name) {
    const normalClass = config.normalClasses.find((c) => configurationName(c) === name);
    if (normalClass === undefined) throw new ExperimentError(`the config has no normal class for configuration '${name}'.`);
    const data = await loadOneClassData(config, normalClass);
    return {
      ...data,
      description: `${data.train.shape[0]} training images of class ${normalClass} (x 4 rotations); test: ${data.normalTest.shape[0]} normal, ${data.anomalousTest.shape[0]} anomalous`,
      stepsPerUnit: config.epochs * Math.ceil(data.train.shape[0] / config.batchSize),
    };
  },
  runUnit: runOneClassUnit,
  withConfigDefaults,
  configFacts: oneClassConfigFacts,
  trialSummary: oneClassTrialSummary,
  reportSections: oneClassReportSections,
};
