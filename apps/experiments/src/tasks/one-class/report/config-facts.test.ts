import { describe, expect, test } from 'vitest';
import { oneClassPresetConfig } from '../config/presets';
import { oneClassConfigFacts } from './config-facts';

const fact = (facts: { label: string; value: string }[] | null, label: string) => facts?.find((f) => f.label === label)?.value;

describe('oneClassConfigFacts', () => {
  test('a CSI run shows the CSI curvatures and settings next to the RotNet curvatures', () => {
    const facts = oneClassConfigFacts(oneClassPresetConfig('fmnist-one-class-csi'));
    expect(fact(facts, 'Curvatures (CSI models)')).toBe('SiT 1, HiT -0.01, MiT (1, -0.01)');
    expect(fact(facts, 'CSI')).toBe('projection 128-d, NT-Xent temperature 0.5, crop scale [0.08, 1], score balancing leave-one-out');
    expect(fact(facts, 'Curvatures (RotNet models)')).toBe('SiT 1, HiT -0.005, MiT (1, -0.005)');
  });

  test('a RotNet run has no CSI rows', () => {
    const facts = oneClassConfigFacts(oneClassPresetConfig('fmnist-one-class'));
    expect(fact(facts, 'Curvatures (RotNet models)')).toBe('SiT 1, HiT -0.005, MiT (1, -0.005)');
    expect(fact(facts, 'CSI')).toBeUndefined();
    expect(fact(facts, 'Curvatures (CSI models)')).toBeUndefined();
  });

  test('something that is not a one-class config gives null', () => {
    expect(oneClassConfigFacts({ name: 'x' })).toBeNull();
  });
});
