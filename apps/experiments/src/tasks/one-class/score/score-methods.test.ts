import { getDetector } from '@curvad/anomaly-scores';
import { describe, expect, it } from 'vitest';
import { rotationRows } from './score-methods';

describe('rotationRows', () => {
  it("RotNet: the standard CE score and 1 - MSP, then the released protocol's row", () => {
    const rows = rotationRows('RotNet', { scorings: ['standard', 'released'], divergenceDirection: 'released' });
    expect(rows.map((r) => [r.method, r.detector, r.scoring])).toEqual([
      ['RotNet', 'rotnet-ce', 'standard'],
      ['RotNet (1 - MSP)', 'msp', 'standard'],
      ['RotNet (released)', 'rotnet-released', 'released'],
    ]);
  });

  it('GiT models: z_EG (z_EM for MiT) in the released direction by default, the text direction as an option, every detector registered', () => {
    const both = rotationRows('RotNet+MiT', { scorings: ['standard', 'released'], divergenceDirection: 'both' });
    expect(both.map((r) => [r.method, r.detector])).toEqual([
      ['RotNet +MiT', 'rotnet-zEM'],
      ['RotNet +MiT (text: 1 - tanh z)', 'rotnet-zEM-text'],
      ['RotNet +MiT (released)', 'rotnet-released'],
    ]);
    expect(rotationRows('RotNet+HiT', { scorings: ['standard'], divergenceDirection: 'text' }).map((r) => r.detector)).toEqual([
      'rotnet-zEG-text',
    ]);
    for (const row of [...both, ...rotationRows('RotNet+SiT', { scorings: ['released'], divergenceDirection: 'released' })]) {
      expect(getDetector(row.detector).name).toBe(row.detector);
    }
  });
});
