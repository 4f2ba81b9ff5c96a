import { describe, expect, test } from 'vitest';
import { formatRunEstimate, RunEta } from './run-eta';

/** A clock the test moves by hand. */
function fakeClock(start = 5_000_000) {
  let now = start;
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

describe("RunEta: the whole run's elapsed time and ETA", () => {
  test('no estimate before the plan; no ETA before anything was measured', () => {
    const clock = fakeClock();
    const eta = new RunEta(clock.now);
    expect(eta.estimate()).toBeNull();
    eta.onRunPlan({ units: 4, unitsDone: 0, stepsPerUnit: 100 });
    clock.advance(3);
    expect(eta.estimate()).toEqual({ unitsDone: 0, units: 4, progress: 0, elapsedSec: 3, etaSec: null });
  });

  test("before a unit ends: the current unit's step rate times the steps left in the run", () => {
    const clock = fakeClock();
    const eta = new RunEta(clock.now);
    eta.onRunPlan({ units: 4, unitsDone: 0, stepsPerUnit: 100 });
    clock.advance(2); // data loading, before the first model
    eta.onUnitStart();
    clock.advance(25);
    eta.onUnitSteps(25);
    // 1 s per step: 75 steps of this unit and 3 x 100 of the others.
    expect(eta.estimate()).toEqual({ unitsDone: 0, units: 4, progress: 25 / 400, elapsedSec: 27, etaSec: 375 });
  });

  test('after units end: their mean time (training and scoring) for every unit left, the current one by its fraction', () => {
    const clock = fakeClock();
    const eta = new RunEta(clock.now);
    eta.onRunPlan({ units: 5, unitsDone: 1, stepsPerUnit: 10 });
    clock.advance(100);
    eta.onUnitEnd(100);
    clock.advance(140);
    eta.onUnitEnd(140);
    clock.advance(30);
    eta.onUnitSteps(5);
    // 3 of 5 done (1 before this run); mean 120 s; half of the current unit left plus one more unit.
    expect(eta.estimate()).toEqual({ unitsDone: 3, units: 5, progress: 3.5 / 5, elapsedSec: 270, etaSec: 180 });
    eta.onUnitEnd(60);
    eta.onUnitEnd(60);
    expect(eta.estimate()).toMatchObject({ unitsDone: 5, progress: 1, etaSec: 0 });
  });

  test('a resumed run with everything done has nothing left', () => {
    const eta = new RunEta(fakeClock().now);
    eta.onRunPlan({ units: 3, unitsDone: 3, stepsPerUnit: 10 });
    expect(eta.estimate()).toMatchObject({ unitsDone: 3, units: 3, progress: 1, etaSec: 0 });
  });

  test('formatting', () => {
    expect(formatRunEstimate({ unitsDone: 3, units: 14, progress: 0.25, elapsedSec: 125, etaSec: 460 })).toBe(
      '3/14 models, elapsed 2 min 05 s, ETA 7 min 40 s',
    );
    expect(formatRunEstimate({ unitsDone: 0, units: 14, progress: 0, elapsedSec: 4, etaSec: null })).toBe(
      '0/14 models, elapsed 4 s, ETA -',
    );
    expect(formatRunEstimate({ unitsDone: 20, units: 70, progress: 0.3, elapsedSec: 3 * 3600, etaSec: 7 * 3600 + 60 })).toBe(
      '20/70 models, elapsed 3 h 00 min, ETA 7 h 01 min',
    );
  });
});
