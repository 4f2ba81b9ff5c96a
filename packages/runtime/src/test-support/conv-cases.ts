// Test-only: fast-check generators for small 2-D convolution configurations.
import { fc } from '@fast-check/vitest';

export type ExplicitPad = [[0, 0], [number, number], [number, number], [0, 0]];

export interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strides: [number, number];
  dilations: [number, number];
  pad: 'same' | 'valid' | ExplicitPad;
  seed: number;
}

/** Output size along one axis, as tfjs's computeConv2DInfo computes it (floor rounding). */
export function convOutputSize(c: ConvCase, axis: 'h' | 'w'): number {
  const size = axis === 'h' ? c.height : c.width;
  const filter = axis === 'h' ? c.filterHeight : c.filterWidth;
  const stride = axis === 'h' ? c.strides[0] : c.strides[1];
  const dilation = axis === 'h' ? c.dilations[0] : c.dilations[1];
  const effective = (filter - 1) * dilation + 1;
  if (c.pad === 'same') return Math.ceil(size / stride);
  if (c.pad === 'valid') return Math.ceil((size - effective + 1) / stride);
  const [before, after] = axis === 'h' ? c.pad[1] : c.pad[2];
  return Math.floor((size + before + after - effective) / stride) + 1;
}

/** 'same', 'valid' or explicit padding of 0-2 pixels per side. */
export const padArb = fc.oneof(
  fc.constant('same' as const),
  fc.constant('valid' as const),
  fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map(
    ([t, b, l, r]): ExplicitPad => [
      [0, 0],
      [t, b],
      [l, r],
      [0, 0],
    ],
  ),
);

/**
 * Small conv configurations with a non-empty output. tfjs allows strides > 1 or dilations > 1, not
 * both, so cases with dilations keep stride 1.
 */
export function convCase(options: { dilations: boolean; multiplier?: boolean }): fc.Arbitrary<ConvCase> {
  return fc
    .record({
      batch: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 1, max: 9 }),
      width: fc.integer({ min: 1, max: 9 }),
      inChannels: fc.integer({ min: 1, max: 4 }),
      outChannels: fc.integer({ min: 1, max: 4 }),
      filterHeight: fc.integer({ min: 1, max: 3 }),
      filterWidth: fc.integer({ min: 1, max: 3 }),
      strides: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      dilations: options.dilations
        ? fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }))
        : fc.constant<[number, number]>([1, 1]),
      pad: padArb,
      seed: fc.integer({ min: 1, max: 1_000_000 }),
    })
    .map((c) => {
      const dilated = c.dilations[0] > 1 || c.dilations[1] > 1;
      return dilated ? { ...c, strides: [1, 1] as [number, number] } : c;
    })
    .filter((c) => convOutputSize(c, 'h') > 0 && convOutputSize(c, 'w') > 0);
}
