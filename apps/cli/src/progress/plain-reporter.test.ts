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

  test("with the runner's plan: the trial, model and batch lines carry the whole run's progress, elapsed time and ETA", () => {
    const { lines, stream } = capture();
    let now = 0;
    const reporter = new PlainReporter(stream, () => now, 10_000);
    reporter.onRunPlan({ units: 4, unitsDone: 1, stepsPerUnit: 20 });
    reporter.onTrialStart('holdout', 1, 2, 8);
    reporter.onModelStart('baseline', 0, 2);
    reporter.onEpochStart(0, 1, 20);
    for (let step = 0; step < 20; step++) {
      now += 1000;
      reporter.onStep(step, 20, 0.5);
    }
    reporter.onEpochEnd(0, 0.5);
    now += 10_000; // scoring
    reporter.onUnitEnd({ configuration: 'holdout', trial: 1, model: 'baseline', seconds: 30 });
    reporter.onModelStart('HiO', 1, 2);
    expect(lines).toEqual([
      'run: 4 models to train and score (1 finished before)',
      'holdout: trial 2 of 2 (seed 8); run 1/4 models, elapsed 0 s, ETA -',
      '  model baseline (1 of 2); run 1/4 models, elapsed 0 s, ETA -',
      // 10 of 20 steps in 10 s: 1 s per step, 10 + 2 x 20 steps left
      '    baseline epoch 1/1: batch 10/20, loss 0.5000, epoch ETA 10 s; run 1/4 models, elapsed 10 s, ETA 50 s',
      '    baseline epoch 1/1: batch 20/20, loss 0.5000, epoch ETA 0 s; run 1/4 models, elapsed 20 s, ETA 40 s',
      '    baseline epoch 1/1: mean loss 0.5000 (20 s)',
      // one unit took 30 s (training and scoring): 2 more at 30 s
      '  model HiO (2 of 2); run 2/4 models, elapsed 30 s, ETA 1 min 00 s',
    ]);
  });
});
