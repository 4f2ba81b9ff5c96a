import { describe, expect, it } from 'vitest';
import { pixelRowsOf } from './pixel-rows';

const methods = (...args: Parameters<typeof pixelRowsOf>) => pixelRowsOf(...args).map((r) => r.method);

describe('pixelRowsOf', () => {
  it('the rows of each model in table order: MSP, MaxLogit; the released direction, then the text one', () => {
    const both = { divergenceDirection: 'both', mitMaxLogit: true } as const;
    expect(methods('baseline', both)).toEqual(['MSP', 'MaxLogit']);
    expect(methods('SiT', both)).toEqual(['SiT', 'SiT (text: 1 - tanh z)']);
    expect(methods('MiT', { ...both, divergenceDirection: 'released' })).toEqual(['MiT']);
    expect(methods('HiT', { ...both, divergenceDirection: 'text' })).toEqual(['HiT (text: 1 - tanh z)']);
  });

  it('detectors: zEG for one geometric head, zEM for MiT (with the max logit as configured); the text row of "both" negates the released one', () => {
    const [released, text] = pixelRowsOf('MiT', { divergenceDirection: 'both', mitMaxLogit: false });
    expect(released!.detector).toEqual({ name: 'zEM', options: { output: 'rank', euclideanMaxLogit: false } });
    expect(text).toEqual({ method: 'MiT (text: 1 - tanh z)', negates: 'MiT', unitDetector: 'geometric' });
    expect(pixelRowsOf('HiT', { divergenceDirection: 'text', mitMaxLogit: true })[0]!.detector).toEqual({
      name: 'zEG-text',
      options: { output: 'rank' },
    });
  });
});
