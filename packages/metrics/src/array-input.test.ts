// Issue 12, defect 9: every public metric rejects inputs that are not arrays (null, undefined, a
// tfjs tensor, a string, a number) with a MetricsError that names the argument and says what to
// pass, instead of "undefined scores" or a TypeError from inside.
import { describe, expect, it } from 'vitest';
import { aupro, proCurve } from './aupro';
import { auroc } from './auroc';
import { auprIn, auprOut } from './average-precision';
import { connectedComponents } from './connected-components';
import { detectionError } from './detection-error';
import { downsampleCurve } from './downsample-curve';
import { MetricsError, type MetricsErrorCode } from './errors';
import { evaluate } from './evaluate';
import { formatTableCell } from './format-table-cell';
import { fprAtTpr } from './fpr-at-tpr';
import { perImagePixelMetrics, pooledPixelMetrics } from './pixel-metrics';
import { prCurve } from './pr-curve';
import { rocCurve } from './roc-curve';
import { bootstrapInterval, mean, sampleStd, summarizeTrials } from './trial-statistics';

function thrown(f: () => unknown): MetricsError {
  try {
    f();
  } catch (e) {
    if (MetricsError.isInstance(e)) return e;
    throw new Error(`expected a MetricsError, got ${String(e)}`);
  }
  throw new Error('expected a MetricsError, nothing was thrown');
}

function expectMetricsError(f: () => unknown, code: MetricsErrorCode, message: RegExp): void {
  const e = thrown(f);
  expect(e.code).toBe(code);
  expect(e.message).toMatch(message);
}

/** What a tfjs Tensor looks like to the metrics (no tfjs import in this package). */
const fakeTensor = (values: number[]) => ({
  shape: [values.length],
  dtype: 'float32',
  size: values.length,
  dataSync: () => Float32Array.from(values),
  data: async () => Float32Array.from(values),
});

const scores = [0.1, 0.4, 0.35, 0.8];
const labels = [0, 0, 1, 1];

type Pair = (s: unknown, l: unknown) => unknown;
const pairFunctions: [string, Pair][] = [
  ['evaluate', (s, l) => evaluate(s as number[], l as number[])],
  ['auroc', (s, l) => auroc(s as number[], l as number[])],
  ['auprIn', (s, l) => auprIn(s as number[], l as number[])],
  ['auprOut', (s, l) => auprOut(s as number[], l as number[])],
  ['fprAtTpr', (s, l) => fprAtTpr(s as number[], l as number[])],
  ['detectionError', (s, l) => detectionError(s as number[], l as number[])],
  ['rocCurve', (s, l) => rocCurve(s as number[], l as number[])],
  ['prCurve', (s, l) => prCurve(s as number[], l as number[])],
];

describe.each(pairFunctions)('%s', (name, f) => {
  it('says to pass await t.data() for a tfjs tensor (scores or labels)', () => {
    const message = new RegExp(`^${name}: scores is a tfjs Tensor of shape \\[4\\].*\`await t\\.data\\(\\)\``);
    expectMetricsError(() => f(fakeTensor(scores), labels), 'bad-input', message);
    expectMetricsError(() => f(scores, fakeTensor(labels)), 'bad-input', /labels is a tfjs Tensor/);
  });

  it.each([null, undefined, 'abc', 3, {}])('names a %s scores or labels argument', (bad) => {
    expectMetricsError(() => f(bad, labels), 'bad-input', new RegExp(`^${name}: scores is .*; pass an array or typed array`));
    expectMetricsError(() => f(scores, bad), 'bad-input', new RegExp(`^${name}: labels is .*1/true \\(anomalous\\)`));
  });

  it('keeps the checks on the elements: lengths, NaN, labels, one class, strings', () => {
    expectMetricsError(() => f([1, 2, 3], [0, 1]), 'length-mismatch', /3 scores but 2 labels/);
    expectMetricsError(() => f([0.1, NaN], [0, 1]), 'non-finite-score', /index 1 is NaN/);
    expectMetricsError(() => f([0.1, 0.2], [0, 2]), 'bad-label', /label at index 1 is 2/);
    expectMetricsError(() => f([0.1, 0.2], [1, true]), 'single-class', /all 2 samples are anomalous/);
    expectMetricsError(() => f([0.1, '0.2'], [0, 1]), 'bad-input', /score at index 1 is string 0\.2; scores must be numbers/);
  });

  it('still accepts typed arrays', () => {
    expect(() => f(Float32Array.from(scores), Int32Array.from(labels))).not.toThrow();
  });
});

describe('trial statistics and table cells', () => {
  it.each([
    ['mean', (v: unknown) => mean(v as number[])],
    ['sampleStd', (v: unknown) => sampleStd(v as number[])],
    ['bootstrapInterval', (v: unknown) => bootstrapInterval(v as number[])],
    ['summarizeTrials', (v: unknown) => summarizeTrials(v as number[])],
    ['summarizeTrials', (v: unknown) => formatTableCell(v as number[])],
  ] as const)('%s names null, a tensor and a non-number value', (name, f) => {
    expectMetricsError(() => f(null), 'bad-input', new RegExp(`^${name}: values is null`));
    expectMetricsError(() => f(fakeTensor([0.9, 0.8])), 'bad-input', /values is a tfjs Tensor.*await t\.data\(\)/);
    expectMetricsError(() => f([0.9, 'x']), 'bad-input', /value at index 1 is x; trial results must be finite numbers/);
  });
});

describe('pixel metrics and curves', () => {
  const shape = [1, 2, 2] as const;
  it.each([
    ['pooledPixelMetrics', pooledPixelMetrics],
    ['perImagePixelMetrics', perImagePixelMetrics],
    ['aupro', (d: never) => aupro(d)],
    ['proCurve', proCurve],
  ] as const)('%s names null data and tensor maps', (name, f) => {
    expectMetricsError(() => f(null as never), 'bad-input', new RegExp(`^${name}: data is null; pass \\{ anomalyMaps`));
    const data = { anomalyMaps: fakeTensor([0, 1, 0, 1]), masks: new Uint8Array(4), shape };
    expectMetricsError(() => f(data as never), 'bad-input', /anomalyMaps is a tfjs Tensor of shape \[4\]/);
  });

  it('connectedComponents and downsampleCurve name a null argument', () => {
    expectMetricsError(() => connectedComponents(null as never, 2, 2), 'bad-input', /^connectedComponents: mask is null/);
    expectMetricsError(
      () => downsampleCurve(null as never, 4),
      'bad-input',
      /^downsampleCurve: curve is null; pass the result of rocCurve/,
    );
  });
});
