import { describe, expect, test } from 'vitest';
import { BarReporter, formatEta } from './bar-reporter';

/** A terminal-like stream that records what cli-progress draws. */
function fakeTerminal() {
  let output = '';
  return {
    stream: {
      isTTY: true,
      columns: 160,
      write: (s: string) => {
        output += s;
        return true;
      },
    },
    text: () => output,
  };
}

// cli-progress draws on a timer: give it a few frames.
const frames = () => new Promise((resolve) => setTimeout(resolve, 450));

describe('BarReporter', () => {
  test('ETA text: the non-numeric ETA values of cli-progress become -', () => {
    expect(formatEta('NULL')).toBe('-');
    expect(formatEta('INF')).toBe('-');
    expect(formatEta('0')).toBe('-');
    expect(formatEta(65)).toBe('1 min 05 s');
  });

  test('draws a bar per model over its epochs and a batch bar with the loss, then clears them at the trial end', async () => {
    const { stream, text } = fakeTerminal();
    const reporter = new BarReporter(stream);
    reporter.onTrialStart('holdout', 0, 1, 0);
    reporter.onModelStart('baseline', 0, 2);
    reporter.onEpochStart(0, 2, 4);
    reporter.onStep(0, 4, 0.75);
    reporter.onStep(1, 4, 0.5);
    await frames();
    const firstModel = text();
    expect(firstModel).toContain('holdout: trial 1 of 1 (seed 0)');
    expect(firstModel).toContain('baseline 1/2');
    // 2 of the model's 2 x 4 steps done
    expect(firstModel).toMatch(/baseline 1\/2 +\|[^|]+\| +25% \| epoch 1\/2/);
    expect(firstModel).toMatch(/batches +\|[^|]+\| 2\/4 batches \| loss 0\.5000/);
    reporter.onStep(2, 4, 0.25);
    reporter.onStep(3, 4, 0.25);
    reporter.onEpochEnd(0, 0.4375);
    reporter.onModelStart('HiO', 1, 2);
    reporter.onEpochStart(0, 2, 5);
    reporter.onStep(0, 5, 1.5);
    await frames();
    const both = text().slice(firstModel.length);
    expect(both).toMatch(/baseline 1\/2 +\|[^|]+\| +50% \| epoch 1\/2, mean loss 0\.4375/);
    expect(both).toMatch(/HiO 2\/2 +\|[^|]+\| +10% \| epoch 1\/2/);
    expect(both).toMatch(/1\/5 batches \| loss 1\.5000/);
    // The batch bar is drawn after (below) the newest model bar.
    expect(both.lastIndexOf('batches |')).toBeGreaterThan(both.lastIndexOf('HiO 2/2'));
    reporter.onTrialEnd();
    reporter.log('holdout: trial 0 (seed 0) 3 s');
    expect(text().endsWith('holdout: trial 0 (seed 0) 3 s\n')).toBe(true);
    // The cursor is shown again.
    expect(text()).toContain('\x1B[?25h');
    reporter.stop();
  });

  test("with the runner's plan: a first bar for the whole run with models done, elapsed time and ETA", async () => {
    const { stream, text } = fakeTerminal();
    let now = 0;
    const reporter = new BarReporter(stream, () => now);
    reporter.onRunPlan({ units: 4, unitsDone: 0, stepsPerUnit: 10 });
    reporter.onTrialStart('holdout', 0, 1, 0);
    expect(text()).toContain('holdout: trial 1 of 1 (seed 0); run 0/4 models, elapsed 0 s, ETA -');
    reporter.onModelStart('baseline', 0, 4);
    reporter.onEpochStart(0, 1, 10);
    for (let step = 0; step < 5; step++) {
      now += 2000;
      reporter.onStep(step, 10, 0.5);
    }
    await frames();
    const drawn = text();
    // 5 of 10 steps in 10 s: 2 s per step, 5 + 3 x 10 steps left; 5 of 40 steps of the run done (12.5%, which cli-progress floors).
    expect(drawn).toMatch(/run +\|[^|]+\| +12% \| 0\/4 models, elapsed 10 s, ETA 1 min 10 s/);
    // The run bar is drawn above the model bar.
    expect(drawn.lastIndexOf('run ')).toBeLessThan(drawn.lastIndexOf('baseline 1/4'));
    reporter.onUnitEnd({ configuration: 'holdout', trial: 0, model: 'baseline', seconds: 30 });
    reporter.onModelStart('HiO', 1, 4);
    reporter.onEpochStart(0, 1, 10);
    await frames();
    expect(text().slice(drawn.length)).toMatch(/run +\|[^|]+\| +25% \| 1\/4 models, elapsed 10 s, ETA 1 min 30 s/);
    reporter.stop();
  });
});
