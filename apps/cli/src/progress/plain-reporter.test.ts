import { describe, expect, test } from 'vitest';
import { PlainReporter } from './plain-reporter';

function capture() {
  const lines: string[] = [];
  return { lines, stream: { write: (s: string) => lines.push(...s.split('\n').filter((l) => l !== '')) } };
}

describe('PlainReporter', () => {
  test('a line per trial, model and epoch; batch lines no more often than the interval, with an ETA from the measured rate', () => {
    const { lines, stream } = capture();
    let now = 1_000_000;
    const reporter = new PlainReporter(stream, () => now, 10_000);
    reporter.onTrialStart('holdout', 0, 5, 7);
    reporter.onModelStart('HiO', 2, 7);
    reporter.onEpochStart(0, 3, 100);
    // 1 s per step: a line at steps 10, 20, ... (every 10 s), none in between.
    for (let step = 0; step < 25; step++) {
      now += 1000;
      reporter.onStep(step, 100, 0.5 + step / 1000);
    }
    now += 75_000;
    reporter.onEpochEnd(0, 0.4321);
    reporter.log('holdout: trial 0 (seed 7) 100 s');
    expect(lines).toEqual([
      'holdout: trial 1 of 5 (seed 7)',
      '  model HiO (3 of 7)',
      // after 10 steps in 10 s: 90 steps left at 1 s each
      '    HiO epoch 1/3: batch 10/100, loss 0.5090, epoch ETA 1 min 30 s',
      '    HiO epoch 1/3: batch 20/100, loss 0.5190, epoch ETA 1 min 20 s',
      '    HiO epoch 1/3: mean loss 0.4321 (1 min 40 s)',
      'holdout: trial 0 (seed 7) 100 s',
    ]);
  });
});
