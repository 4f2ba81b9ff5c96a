// The rows of the one-class tables: per model and scoring, the registered detector of
// @curvad/anomaly-scores that gives it. A new kind of row is a registered detector plus a line here.
// CSI's rows: 'CSI' is the 'csi' detector (fitted on the normal training images, CSI's score over
// the four rotations); the CSI+SiT / HiT / MiT models get the GiT rows of the RotNet+GiT models
// (z_EG / z_EM of the rotation logits summed over the rotations, and the released protocol's row).
import { ONE_CLASS_MODEL_TABLE, type OneClassConfig, type OneClassModelName, type Scoring } from '../config/one-class-config';

export interface RotationRow {
  /** Table row name, e.g. 'RotNet', 'RotNet +SiT (released)', 'CSI', 'CSI +MiT'. */
  method: string;
  /** The registered detector (getDetector) that scores it. */
  detector: string;
  scoring: Scoring;
  /** What unit.json calls its detector ('msp' for the MSP row; the rotation scores count as 'geometric'). */
  unitDetector: 'msp' | 'geometric';
}

const SUFFIX = { sphere: 'SiT', poincare: 'HiT', mixed: 'MiT' } as const;
const FAMILY_LABEL = { rotnet: 'RotNet', csi: 'CSI' } as const;

/** The rows of model `name` under `config`'s scorings and divergence direction, in table order. */
export function rotationRows(name: OneClassModelName, config: Pick<OneClassConfig, 'scorings' | 'divergenceDirection'>): RotationRow[] {
  const record = ONE_CLASS_MODEL_TABLE[name];
  const rows: RotationRow[] = [];
  const base = FAMILY_LABEL[record.family];
  const label = record.geometry === null ? base : `${base} +${SUFFIX[record.geometry]}`;
  if (config.scorings.includes('standard')) {
    if (record.geometry === null && record.family === 'csi') {
      rows.push({ method: 'CSI', detector: 'csi', scoring: 'standard', unitDetector: 'geometric' });
    } else if (record.geometry === null) {
      rows.push({ method: 'RotNet', detector: 'rotnet-ce', scoring: 'standard', unitDetector: 'geometric' });
      rows.push({ method: 'RotNet (1 - MSP)', detector: 'msp', scoring: 'standard', unitDetector: 'msp' });
    } else {
      const divergence = record.geometry === 'mixed' ? 'rotnet-zEM' : 'rotnet-zEG';
      if (config.divergenceDirection !== 'text')
        rows.push({ method: label, detector: divergence, scoring: 'standard', unitDetector: 'geometric' });
      if (config.divergenceDirection !== 'released') {
        rows.push({
          method: `${label} (text: 1 - tanh z)`,
          detector: `${divergence}-text`,
          scoring: 'standard',
          unitDetector: 'geometric',
        });
      }
    }
  }
  if (config.scorings.includes('released')) {
    rows.push({ method: `${label} (released)`, detector: 'rotnet-released', scoring: 'released', unitDetector: 'geometric' });
  }
  return rows;
}
