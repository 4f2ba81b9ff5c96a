// @curvad/geo-layers/scores: the anomaly scores of @curvad/anomaly-scores bound to geo heads. A
// separate entry so that `@curvad/geo-layers` alone (the layers, heads, training, model I/O) never
// loads the scores package; install @curvad/anomaly-scores to use this one.

export { type GeoDetectorModelOptions, geoDetectorModel } from './detector-model';
export { type GeoScore, type GeoScoreOptions, type GeoScoreResult, geoHeadScores, type ScoredHead } from './head-scores';
