import { describe, expect, test } from 'vitest';
import { BarReporter, formatEta } from './bar-reporter';

/** A terminal-like stream that records what cli-progress draws. */
function fakeTerminal() {
  let output = '';
  return {
    stream: { isTTY: true, columns: 160, write: (s: string) => { output += s; return true; } },
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
});
