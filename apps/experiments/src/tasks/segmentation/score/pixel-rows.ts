// The rows of Table VII per model: the registered detector of @curvad/anomaly-scores that scores
// each pixel (a pixel is a row of the per-pixel logits). The text direction of z_EG / z_EM is the
// released row negated (the same z, the other end anomalous), so it is derived, not recomputed.
import { SEGMENTATION_MODEL_TABLE, type SegmentationConfig, type SegmentationModelName } from '../config/segmentation-config';

export interface PixelRow {
  /** Table row name: 'MSP', 'MaxLogit', 'SiT', 'SiT (text: 1 - tanh z)', ... */
  method: string;
  /** The registered detector and its options; absent for a row derived from `negates`. */
  detector?: { name: string; options: Record<string, unknown> };
  /** The method whose scores, negated, are this row's. */
  negates?: string;
  /** What unit.json calls its detector. */
  unitDetector: 'msp' | 'maxlogit' | 'geometric';
}

/** The rows of model `name` under `config`, in table order. */
export function pixelRowsOf(
  name: SegmentationModelName,
  config: Pick<SegmentationConfig, 'divergenceDirection' | 'mitMaxLogit'>,
): PixelRow[] {
  const geometry = SEGMENTATION_MODEL_TABLE[name].geometry;
  if (geometry === null) {
    return [
      { method: 'MSP', detector: { name: 'msp', options: {} }, unitDetector: 'msp' },
      { method: 'MaxLogit', detector: { name: 'maxlogit', options: {} }, unitDetector: 'maxlogit' },
    ];
  }
  const detector =
    geometry === 'mixed'
      ? { name: 'zEM', options: { output: 'rank', euclideanMaxLogit: config.mitMaxLogit } }
      : { name: 'zEG', options: { output: 'rank' } };
  const released: PixelRow = { method: name, detector, unitDetector: 'geometric' };
  const text: PixelRow = { method: `${name} (text: 1 - tanh z)`, negates: name, unitDetector: 'geometric' };
  if (config.divergenceDirection === 'released') return [released];
  if (config.divergenceDirection === 'text') {
    return [{ method: text.method, detector: { ...detector, name: `${detector.name}-text` }, unitDetector: 'geometric' }];
  }
  return [released, text];
}
