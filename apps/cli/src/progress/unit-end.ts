/** A finished (configuration, trial, model) unit, as the runner reports it (RunReporter.onUnitEnd). */
export interface UnitEnd {
  configuration: string;
  trial: number;
  model: string;
  /** Wall time of the unit: training and scoring. */
  seconds: number;
}
